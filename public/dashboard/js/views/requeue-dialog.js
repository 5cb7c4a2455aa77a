/* global document */
import { errorBox, field, h, uid } from '../dom.js';
import { LEAD_STATUS_LABELS, num } from '../format.js';
import { t } from '../i18n.js';

/** The lead statuses a requeue may call again (the API's REQUEUE_STATUSES). */
const STATUSES = ['exhausted', 'failed', 'expired'];

/** How many leads of the campaign are in each status (progress.failed includes exhausted). */
function countsOf(progress = {}) {
  return {
    exhausted: progress.exhausted ?? 0,
    failed: Math.max(0, (progress.failed ?? 0) - (progress.exhausted ?? 0)),
    expired: progress.expired ?? 0,
  };
}

/** The `extra_attempts` box of a requeue (the campaign's dialog and a single lead's form). */
export function extraAttemptsInput(attrs = {}) {
  return h('input', {
    type: 'number',
    name: 'extra_attempts',
    min: '1',
    step: '1',
    value: '1',
    inputmode: 'numeric',
    ...attrs,
  });
}

/**
 * "Call again those not reached", as a form: the statuses to call again (with how many leads
 * each holds) and the extra attempts. `send(body)` makes the request; a refusal stays in the
 * dialog, each message by its field. Resolves with the answer, or null when dismissed.
 */
export function requeueDialog(campaign, send) {
  return new Promise((resolve) => {
    const counts = countsOf(campaign.progress);
    const boxes = STATUSES.map((status) => {
      const box = h('input', {
        type: 'checkbox',
        value: status,
        id: uid('rq'),
        checked: status !== 'expired' || counts.expired > 0,
      });
      return h(
        'label',
        { class: 'check', for: box.id },
        box,
        t('{status} ({count})', {
          status: LEAD_STATUS_LABELS[status] ?? status,
          count: num(counts[status]),
        }),
      );
    });
    const statusProblem = h('p', { class: 'field-error', id: uid('err'), hidden: true });
    const statuses = h(
      'fieldset',
      { class: 'checks', 'aria-describedby': statusProblem.id },
      h('legend', {}, t('Call again the leads that are')),
      boxes,
    );
    const extra = extraAttemptsInput();
    const extraField = field(
      t('Extra attempts per lead'),
      extra,
      t('Each lead may be called this many more times.'),
    );
    const extraProblem = h('p', { class: 'field-error', hidden: true });
    extraField.append(extraProblem);
    const errors = errorBox();
    const no = h('button', { type: 'button' }, t('Not now'));
    const yes = h('button', { type: 'submit', class: 'primary' }, t('Call them again'));
    const titleId = uid('dialog-title');
    const form = h(
      'form',
      { method: 'dialog', novalidate: true },
      h('h2', { id: titleId }, t('Call again the leads not reached?')),
      h(
        'p',
        {},
        t(
          'They go back to the queue; the do-not-call list, calling window and caps apply as always.',
        ),
      ),
      statuses,
      statusProblem,
      extraField,
      errors.el,
      h('div', { class: 'actions' }, no, yes),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    let answer = null;

    function mark(problem, control, message) {
      problem.textContent = message ?? '';
      problem.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }

    no.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clear();
      mark(statusProblem, statuses, null);
      mark(extraProblem, extra, null);
      const body = {
        statuses: boxes
          .map((b) => b.querySelector('input'))
          .filter((b) => b.checked)
          .map((b) => b.value),
        extra_attempts: extra.value.trim() === '' ? null : Number(extra.value),
      };
      yes.disabled = true;
      try {
        answer = await send(body);
        dialog.close();
      } catch (error) {
        const left = [];
        for (const d of error.details ?? []) {
          if (d.field === 'statuses' || d.field?.startsWith('statuses'))
            mark(statusProblem, statuses, d.message);
          else if (d.field === 'extra_attempts') mark(extraProblem, extra, d.message);
          else left.push(d);
        }
        if (!error.details?.length || left.length)
          errors.show({ message: error.message, details: left });
      } finally {
        yes.disabled = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    extra.focus();
  });
}
