import { funnelChart } from '../charts.js';
import { emptyState, h, replace } from '../dom.js';
import { duration, num, pct } from '../format.js';
import { api } from '../api.js';
import { t } from '../i18n.js';

/** Lead counts in the order the stacked bar shows them, each with its meaning. */
const SEGMENTS = [
  ['completed', t('Completed'), t('Reached: a call was completed.')],
  ['failed', t('Failed'), t('Ended unreached (exhausted included).')],
  ['suppressed', t('Suppressed'), t('On the do-not-call list; never dialled.')],
  ['cancelled', t('Cancelled'), t('Cancelled with the campaign.')],
  ['expired', t('Expired'), t('Still waiting when the campaign’s end date passed.')],
  ['ineligible', t('Ineligible'), t('The law forbids calling them (see each lead’s reason).')],
  ['in_progress', t('Calling'), t('Being called now.')],
  ['pending', t('Waiting'), t('Waiting for a call (retries included).')],
];

function stat(label, value, note) {
  return h(
    'div',
    { class: 'stat' },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
    note ? h('span', { class: 'stat-note' }, note) : null,
  );
}

function progressCard(c) {
  const p = c.progress;
  if (!p || p.total === 0) {
    return emptyState(
      t('No leads yet'),
      t('Upload a CSV file of leads, then start the campaign.'),
      h(
        'a',
        { href: `#/campaigns/${encodeURIComponent(c.id)}/import`, class: 'button primary' },
        t('Import leads'),
      ),
    );
  }
  const bar = h('div', {
    class: 'stacked',
    role: 'img',
    'aria-label': SEGMENTS.map(([k, label]) => `${label} ${p[k]}`).join(', '),
  });
  for (const [key] of SEGMENTS) {
    if (!p[key]) continue;
    const seg = h('span', { class: `seg seg-${key}` });
    seg.style.width = `${((p[key] / p.total) * 100).toFixed(2)}%`;
    bar.append(seg);
  }
  const live = p.live_calls ?? p.in_progress;
  const cap = c.max_concurrent_calls;
  const capFill = h('span', { class: 'bar-fill' });
  capFill.style.width = `${Math.min(100, (live / cap) * 100).toFixed(1)}%`;
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'big-figure', id: 'progress-figure' },
      t('{final} of {total} leads done', { final: num(p.final), total: num(p.total) }),
      h('span', { class: 'muted' }, ` · ${pct(p.final / p.total)}`),
    ),
    bar,
    h(
      'ul',
      { class: 'legend' },
      SEGMENTS.map(([key, label, title]) =>
        h(
          'li',
          { title },
          h('span', { class: `swatch seg-${key}`, 'aria-hidden': 'true' }),
          `${label} `,
          h('strong', { dataset: { count: key } }, num(p[key])),
        ),
      ),
    ),
    h(
      'div',
      { class: 'stats' },
      stat('Qualified', num(p.qualified)),
      stat('Not qualified', num(p.not_qualified)),
      stat('Waiting for a retry', num(p.retry_scheduled)),
      stat('Every attempt used', num(p.exhausted)),
      h(
        'div',
        { class: 'stat stat-wide' },
        h('span', { class: 'stat-value', id: 'live-calls' }, `${num(live)} / ${num(cap)}`),
        h('span', { class: 'stat-label' }, t('Calls in progress / cap')),
        h(
          'div',
          {
            class: 'bar bar-thin',
            role: 'meter',
            'aria-label': t('Calls in progress against the cap'),
            'aria-valuemin': '0',
            'aria-valuemax': String(cap),
            'aria-valuenow': String(Math.min(live, cap)),
          },
          capFill,
        ),
      ),
    ),
  );
}

function figures(s) {
  const outcomes = Object.entries(s.by_outcome ?? {}).filter(([, n]) => n > 0);
  return h(
    'dl',
    { class: 'figures' },
    h('dt', {}, t('Reach rate')),
    h('dd', {}, pct(s.reach_rate)),
    h('dt', {}, t('Qualification rate')),
    h('dd', {}, pct(s.qualification_rate)),
    h('dt', {}, t('Talk time')),
    h('dd', {}, duration(s.total_duration_seconds)),
    h('dt', {}, t('Cost')),
    h('dd', {}, num(s.total_cost)),
    h('dt', {}, t('Last call outcomes')),
    h(
      'dd',
      {},
      outcomes.length
        ? outcomes.map(([k, n]) => `${k.replaceAll('_', ' ')} ${num(n)}`).join(' · ')
        : '—',
    ),
  );
}

function answerLabel(type, key) {
  if (type === 'boolean') return key === 'true' ? t('Yes') : key === 'false' ? t('No') : key;
  return key;
}

function distribution(q) {
  const head = h(
    'div',
    { class: 'question-head' },
    h('h3', {}, q.name),
    h(
      'span',
      { class: 'muted' },
      `${q.type ? q.type.replaceAll('_', ' ') : 'unknown type'} · ${num(q.answered)} answered · ${num(q.no_answer)} no answer`,
    ),
  );
  if (q.counts && Object.keys(q.counts).length > 0) {
    const entries = Object.entries(q.counts);
    const max = Math.max(1, ...entries.map(([, n]) => n));
    return h(
      'div',
      { class: 'question' },
      head,
      h(
        'table',
        { class: 'bars' },
        h('caption', { class: 'visually-hidden' }, t('Answers to {name}', { name: q.name })),
        h(
          'tbody',
          {},
          entries.map(([key, n]) => {
            const fill = h('span', { class: 'bar-fill' });
            fill.style.width = `${((n / max) * 100).toFixed(1)}%`;
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, answerLabel(q.type, key)),
              h(
                'td',
                { class: 'bar-cell' },
                h('span', { class: 'bar bar-thin', 'aria-hidden': 'true' }, fill),
              ),
              h(
                'td',
                { class: 'num' },
                num(n),
                h('span', { class: 'muted' }, ` ${pct(q.answered ? n / q.answered : null)}`),
              ),
            );
          }),
        ),
      ),
    );
  }
  if (q.mean !== undefined && q.mean !== null) {
    return h(
      'div',
      { class: 'question' },
      head,
      h(
        'p',
        {},
        t('Lowest {min} · average {mean} · highest {max}', {
          min: num(q.min),
          mean: num(Math.round(q.mean * 10) / 10),
          max: num(q.max),
        }),
      ),
    );
  }
  return h(
    'div',
    { class: 'question' },
    head,
    h(
      'p',
      { class: 'muted' },
      q.answered > 0 ? t('Free-text answers: see the report download.') : t('No answer yet.'),
    ),
  );
}

/** The dry run (GET …/eligibility): who the calling laws let us call now, who waits and why. */
function eligibilityCard(e) {
  const when = (iso) => new Date(iso).toLocaleString();
  return h(
    'div',
    {},
    h(
      'p',
      {},
      e.rules === 'none' ? h('strong', {}, t('No calling law applied (rules: none). ')) : null,
      t('{callable} of {waiting} waiting leads may be called now', {
        callable: num(e.callable_now),
        waiting: num(e.waiting),
      }),
      e.sampled
        ? h('span', { class: 'muted' }, t(' (estimated from {n})', { n: num(e.evaluated) }))
        : null,
      '.',
    ),
    e.held_back.length
      ? h(
          'ul',
          { class: 'held-back' },
          e.held_back.map((g) =>
            h(
              'li',
              {},
              t('{n} held back: {reason} (from {when})', {
                n: num(g.leads),
                reason: g.reason,
                when: when(g.earliest_allowed_at),
              }),
            ),
          ),
        )
      : null,
    e.ineligible.length
      ? h(
          'ul',
          { class: 'ineligible' },
          e.ineligible.map((g) =>
            h('li', {}, t('{n} never called: {reason}', { n: num(g.leads), reason: g.reason })),
          ),
        )
      : null,
    h(
      'p',
      { class: 'muted' },
      t('Callable per day: {days}', {
        days: e.days.map((d) => `${d.date.slice(5)} ${num(d.callable)}`).join(' · '),
      }),
    ),
  );
}

/** Progress (live), the outcome funnel and the answer distributions of one campaign. */
export function overviewTab() {
  const progressBody = h('div', {});
  const funnel = funnelChart();
  const funnelEmpty = h('div', {});
  const funnelFigures = h('div', {});
  const answers = h('div', {});
  let hasSummary = false;
  let shownProgress = '';
  let shownSummary = '';
  const eligibility = h('div', {});
  // The dry run matters before a start and while paused; once running or over it is not shown.
  const eligibilitySection = h(
    'section',
    { class: 'card', 'aria-labelledby': 'eligibility-title', hidden: true },
    h('h2', { id: 'eligibility-title' }, t('Who the calling laws allow')),
    eligibility,
  );
  let eligibilityFor = '';

  const el = h(
    'div',
    { class: 'overview' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'progress-title' },
      h('h2', { id: 'progress-title' }, t('Progress')),
      progressBody,
    ),
    eligibilitySection,
    h(
      'div',
      { class: 'grid-2' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'funnel-title' },
        h('h2', { id: 'funnel-title' }, t('Outcome funnel')),
        funnelEmpty,
        funnel.el,
        funnelFigures,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'answers-title' },
        h('h2', { id: 'answers-title' }, t('Answers')),
        answers,
      ),
    ),
  );
  replace(funnelFigures, h('p', { class: 'loading' }, t('Loading the report…')));

  return {
    el,
    update(c) {
      // Redrawn only when something changed: a focused link must not vanish every second.
      eligibilitySection.hidden = !['draft', 'scheduled', 'paused'].includes(c.status);
      const key = JSON.stringify([c.id, c.progress, c.max_concurrent_calls]);
      if (key === shownProgress) return;
      shownProgress = key;
      replace(progressBody, progressCard(c));
      // The dry run before Start (and while paused): fetched again when the lead counts change.
      const dry = JSON.stringify([c.id, c.status, c.progress?.total, c.progress?.final]);
      if (dry !== eligibilityFor && ['draft', 'scheduled', 'paused'].includes(c.status)) {
        eligibilityFor = dry;
        api('GET', `/campaigns/${encodeURIComponent(c.id)}/eligibility`)
          .then((e) => replace(eligibility, eligibilityCard(e)))
          .catch((err) =>
            replace(
              eligibility,
              h(
                'p',
                { class: 'error-text' },
                t('Not available: {message}', { message: err.message }),
              ),
            ),
          );
      }
    },
    summary(s) {
      hasSummary = true;
      const key = JSON.stringify(s);
      if (key === shownSummary) return;
      shownSummary = key;
      const none = !s || s.leads === 0;
      funnel.el.hidden = none;
      if (none) {
        replace(
          funnelEmpty,
          emptyState(
            t('Nothing to show yet'),
            t('The funnel fills in as leads are imported and called.'),
          ),
        );
        replace(funnelFigures);
      } else {
        replace(funnelEmpty);
        funnel.update(s);
        replace(funnelFigures, figures(s));
      }
      const questions = s?.questions ?? [];
      replace(
        answers,
        questions.every((q) => !q.answered && !q.no_answer)
          ? emptyState(
              t('No answers yet'),
              t('Answers to the agent’s post-call questions appear once calls are completed.'),
            )
          : questions.map(distribution),
      );
    },
    summaryFailed(error) {
      if (!hasSummary)
        replace(
          funnelFigures,
          h(
            'p',
            { class: 'error-text' },
            t('The report could not be loaded: {message}', { message: error.message }),
          ),
        );
    },
    destroy: () => funnel.destroy(),
  };
}
