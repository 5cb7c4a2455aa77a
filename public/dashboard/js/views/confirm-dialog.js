/* global document */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * Asks before something that cannot be undone. A native modal <dialog>: focus stays inside,
 * Escape answers no, and the safe choice has the focus.
 */
export function confirmDialog({ title, text, confirmLabel, cancelLabel = t('Go back') }) {
  return new Promise((resolve) => {
    const no = h('button', { type: 'button', value: 'no', autofocus: true }, cancelLabel);
    const yes = h('button', { type: 'button', value: 'yes', class: 'danger' }, confirmLabel);
    const titleId = `dialog-title-${Date.now()}`;
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': `${titleId}-text` },
      h('h2', { id: titleId }, title),
      h('p', { id: `${titleId}-text` }, text),
      h('div', { class: 'actions' }, no, yes),
    );
    let answer = false;
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
