/* global document, Node */
import { t } from './i18n.js';
/**
 * Builds elements without ever parsing HTML: lead files and campaign names reach the page, so
 * text always goes in as text.
 *
 *   h('button', { type: 'button', class: 'primary', onclick: go }, 'Start')
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else if (name === 'checked' || name === 'selected') {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An id unique in the page, for label/for and aria-describedby pairs. */
let seq = 0;
export function uid(prefix) {
  seq += 1;
  return `${prefix}-${seq}`;
}

/** A labelled form control: `<div class="field"><label for>…</label>control hint</div>`. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hintEl);
}

/** An error box announced to screen readers; empty and hidden when there is nothing to say. */
export function errorBox() {
  const box = h('div', { class: 'error-box', role: 'alert', hidden: true });
  return {
    el: box,
    show(error) {
      let message = error?.message ?? String(error);
      // One line per field problem, unless the message already says it all.
      let details = (Array.isArray(error?.details) ? error.details : []).map((d) =>
        !d.field || d.message?.startsWith(d.field) ? d.message : `${d.field}: ${d.message}`,
      );
      if (details.length === 1 && message.includes(details[0])) details = [];
      else if (details.length > 1 && details.join('; ') === message) {
        message = t('Some fields need a correction:');
      }
      replace(
        box,
        h('p', {}, message),
        details.length > 0
          ? h(
              'ul',
              {},
              details.map((text) => h('li', {}, text)),
            )
          : null,
      );
      box.hidden = false;
    },
    clear() {
      replace(box);
      box.hidden = true;
    },
  };
}

/** A message shown where a list or chart would be, saying why it is empty and what to do. */
export function emptyState(title, text, action) {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title' }, title),
    text ? h('p', {}, text) : null,
    action,
  );
}
