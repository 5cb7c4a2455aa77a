import { h } from '../dom.js';
import { CAMPAIGN_STATUS_LABELS, num, pct } from '../format.js';
import { t } from '../i18n.js';

export function statusBadge(status) {
  return h(
    'span',
    { class: ['badge', `badge-${status}`] },
    CAMPAIGN_STATUS_LABELS[status] ?? status,
  );
}

/** Leads in a final status out of all leads, as a bar with its figures beside it. */
export function progressBar(progress, name) {
  const total = progress?.total ?? 0;
  const final = progress?.final ?? 0;
  const ratio = total > 0 ? final / total : 0;
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${(ratio * 100).toFixed(1)}%`;
  return h(
    'div',
    { class: 'progress' },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': t('Progress of {name}', { name }),
        'aria-valuemin': '0',
        'aria-valuemax': String(total),
        'aria-valuenow': String(final),
        'aria-valuetext':
          total > 0 ? t('{final} of {total} leads done', { final, total }) : t('No leads'),
      },
      fill,
    ),
    h(
      'span',
      { class: 'progress-text' },
      total > 0 ? `${num(final)} / ${num(total)} · ${pct(ratio)}` : t('No leads'),
    ),
  );
}

/**
 * Calls `tick` every `intervalMs` (or the delay it returns) while the tab is visible. Runs never
 * overlap: asking for one during another runs it right after.
 */
export function poller(tick, intervalMs) {
  const doc = globalThis.document;
  let timer;
  let running = false;
  let again = false;
  let stopped = false;

  async function run() {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (doc.visibilityState === 'hidden') return; // resumed by visibilitychange
    running = true;
    let next = intervalMs;
    try {
      next = (await tick()) ?? intervalMs;
    } catch {
      // A failed poll shows its error through the view; the next one may succeed.
    }
    running = false;
    if (stopped) return;
    if (again) {
      again = false;
      return run();
    }
    timer = setTimeout(run, next);
  }

  function onVisibility() {
    if (doc.visibilityState === 'visible' && timer === undefined && !running) run();
  }
  doc.addEventListener('visibilitychange', onVisibility);

  return {
    start: run,
    /** Runs now (e.g. after a button changed the campaign) rather than at the next tick. */
    now: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      doc.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
