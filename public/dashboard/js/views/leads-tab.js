import { can } from '../access.js';
import { api } from '../api.js';
import { emptyState, errorBox, field, h, replace } from '../dom.js';
import { dateTime, duration, LEAD_STATUS_LABELS, money, num } from '../format.js';
import { t } from '../i18n.js';
import { extraAttemptsInput } from './requeue-dialog.js';

const PAGE_SIZES = [10, 25, 50, 100, 200];
const REFRESH_MS = 3000;
const NO_STATUS = t('No “{status}” leads');
const NO_STATUS_ON_PAGE = t('No “{status}” leads on this page');
/** Lead statuses that still change on their own: an open detail follows them. */
const MOVING_STATUSES = ['pending', 'calling', 'retry_scheduled'];

function variablesText(vars) {
  const text = Object.entries(vars ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function qualifiedText(q) {
  if (q === true) return t('Yes');
  if (q === false) return t('No');
  return '—';
}

function answersText(answers) {
  if (!answers) return '—';
  return Object.entries(answers)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' · ');
}

/** The statuses a lead may be called again from (the API's REQUEUE_STATUSES). */
const REQUEUE_STATUSES = ['failed', 'exhausted', 'expired'];

/** A call's transcript, asked of the platform (through the API) when the user opens it. */
function transcriptButton(path, attempt) {
  const box = h('div', { class: 'transcript', 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'small',
      'aria-expanded': 'false',
      'aria-label': t('Transcript of attempt {n}', { n: attempt.attempt_number }),
    },
    t('Transcript'),
  );
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-expanded') === 'true') {
      button.setAttribute('aria-expanded', 'false');
      replace(box);
      return;
    }
    button.disabled = true;
    replace(box, h('p', { class: 'loading-inline muted' }, t('Asking CallRounded…')));
    try {
      const answer = await api(
        'GET',
        `${path}/calls/${encodeURIComponent(attempt.call_id)}/transcript`,
      );
      button.setAttribute('aria-expanded', 'true');
      replace(
        box,
        answer.transcript.length === 0
          ? h('p', { class: 'muted' }, t('The platform has no transcript of this call.'))
          : h(
              'ol',
              { class: 'transcript-lines' },
              answer.transcript.map((line) =>
                h(
                  'li',
                  { class: `speaker-${line.role}` },
                  h('span', { class: 'speaker' }, SPEAKERS[line.role] ?? line.role),
                  ' ',
                  line.content,
                ),
              ),
            ),
      );
    } catch (error) {
      replace(box, h('p', { class: 'field-error' }, error.message));
    } finally {
      button.disabled = false;
    }
  });
  return [button, box];
}

const SPEAKERS = { agent: t('Agent:'), user: t('Lead:') };

/**
 * One lead with every attempt: status, duration, cost, post-call answers, error, and the
 * call's transcript on demand; "call again" when the lead ended unreached and the key may.
 */
function leadDetail(campaignId, l, onRequeued) {
  const path = `/campaigns/${encodeURIComponent(campaignId)}/leads/${encodeURIComponent(l.id)}`;
  const rows = l.attempts_detail.map((a) =>
    h(
      'tr',
      {},
      h('td', { class: 'num' }, a.attempt_number),
      h('td', {}, a.call_status ?? a.state),
      h('td', {}, a.outcome ?? '—'),
      h('td', {}, dateTime(a.started_at ?? a.requested_at)),
      h('td', { class: 'num' }, duration(a.duration_seconds)),
      h('td', { class: 'num' }, money(a.cost)),
      h('td', {}, answersText(a.answers)),
      h('td', { class: 'reason' }, a.error ?? ''),
      h('td', {}, a.call_id && a.state === 'ended' ? transcriptButton(path, a) : ''),
    ),
  );
  const requeue = requeueLead(campaignId, l, onRequeued);
  return h(
    'section',
    { class: 'card lead-detail', 'aria-labelledby': 'lead-detail-title' },
    h('h3', { id: 'lead-detail-title' }, t('Lead {phone}', { phone: l.phone })),
    h(
      'p',
      {},
      `${LEAD_STATUS_LABELS[l.status] ?? l.status}${l.status_reason ? ` · ${l.status_reason}` : ''}`,
    ),
    h('p', { class: 'muted' }, variablesText(l.variables)),
    requeue,
    rows.length === 0
      ? h('p', { class: 'muted' }, t('Not called yet.'))
      : h(
          'div',
          { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Attempts') },
          h(
            'table',
            { class: 'table attempts' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                [
                  t('Attempt'),
                  t('Status'),
                  t('Outcome'),
                  t('Started'),
                  t('Duration'),
                  t('Cost'),
                  t('Answers'),
                  t('Error'),
                  t('Transcript'),
                ].map((label) => h('th', { scope: 'col' }, label)),
              ),
            ),
            h('tbody', {}, rows),
          ),
        ),
  );
}

/** "Call this lead again": extra attempts, then POST …/leads/{id}/requeue. */
function requeueLead(campaignId, l, onRequeued) {
  if (!REQUEUE_STATUSES.includes(l.status)) return null;
  if (!can('POST', '/campaigns/{id}/leads/{leadId}/requeue')) return null;
  const extra = extraAttemptsInput({ class: 'short' });
  const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('Call this lead again'));
  const form = h(
    'form',
    { class: 'toolbar lead-requeue', novalidate: true },
    field(t('Extra attempts'), extra),
    submit,
    problem,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    submit.disabled = true;
    try {
      const answer = await api(
        'POST',
        `/campaigns/${encodeURIComponent(campaignId)}/leads/${encodeURIComponent(l.id)}/requeue`,
        { body: { extra_attempts: extra.value.trim() === '' ? null : Number(extra.value) } },
      );
      onRequeued(l.id, answer);
    } catch (error) {
      problem.textContent = error.details?.[0]?.message ?? error.message;
      problem.hidden = false;
      extra.setAttribute('aria-invalid', 'true');
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function leadRow(l, open) {
  return h(
    'tr',
    {},
    h('td', { class: 'num' }, l.row_number ?? '—'),
    h(
      'th',
      { scope: 'row', class: 'mono' },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'aria-label': t('Details of {phone}', { phone: l.phone }),
          onclick: () => open(l.id),
        },
        l.phone,
      ),
    ),
    h(
      'td',
      {},
      h(
        'span',
        { class: ['lead-status', `lead-${l.status}`] },
        LEAD_STATUS_LABELS[l.status] ?? l.status,
      ),
    ),
    h('td', { class: 'num' }, num(l.attempts)),
    h('td', {}, l.outcome ?? '—'),
    h('td', {}, qualifiedText(l.qualified)),
    h('td', {}, l.next_attempt_at ? dateTime(l.next_attempt_at) : '—'),
    h(
      'td',
      {
        class: 'vars',
        title: Object.entries(l.variables ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      },
      variablesText(l.variables),
    ),
    h('td', { class: 'reason' }, l.status_reason ?? ''),
  );
}

/** The campaign's leads, filtered by status, page by page (cursor paging: Previous keeps a stack). */
export function leadsTab(campaignId, onChanged) {
  const errors = errorBox();
  const status = h(
    'select',
    { name: 'status' },
    h('option', { value: '' }, t('All statuses')),
    Object.entries(LEAD_STATUS_LABELS).map(([v, label]) => h('option', { value: v }, label)),
  );
  const size = h(
    'select',
    { name: 'limit' },
    PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === 50 }, String(n))),
  );
  const search = h('input', { type: 'search', name: 'search', placeholder: '06 12 34 / Zoé' });
  const detail = h('div', { 'aria-live': 'polite' });
  const note = h('p', { class: 'saved', role: 'status' });
  const refresh = h('button', { type: 'button' }, t('Refresh'));
  const prev = h('button', { type: 'button', disabled: true }, t('← Previous page'));
  const next = h('button', { type: 'button', disabled: true }, t('Next page →'));
  const pageInfo = h('span', { class: 'muted', 'aria-live': 'polite' });
  const body = h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Leads') },
    h('p', { class: 'loading' }, t('Loading leads…')),
  );

  const cursors = [undefined]; // cursors[i] opens page i
  let page = 0;
  let nextCursor = null;
  let loadedAt = 0;
  let loading = false;

  async function load() {
    loading = true;
    try {
      const answer = await api('GET', `/campaigns/${encodeURIComponent(campaignId)}/leads`, {
        query: {
          status: status.value,
          search: search.value.trim(),
          limit: size.value,
          cursor: cursors[page],
        },
      });
      loadedAt = Date.now();
      nextCursor = answer.next_cursor;
      errors.clear();
      draw(answer.data);
    } catch (error) {
      errors.show(error);
    } finally {
      loading = false;
    }
  }

  function draw(leads) {
    prev.disabled = page === 0;
    next.disabled = !nextCursor;
    pageInfo.textContent = leads.length
      ? t('Page {page} · {count} leads shown', { page: page + 1, count: leads.length })
      : '';
    if (leads.length === 0) {
      replace(
        body,
        page === 0 && !status.value && !search.value.trim()
          ? emptyState(
              t('No leads yet'),
              t('Import a CSV file to add leads to this campaign.'),
              h(
                'a',
                {
                  class: 'button primary',
                  href: `#/campaigns/${encodeURIComponent(campaignId)}/import`,
                },
                t('Import leads'),
              ),
            )
          : emptyState(
              status.value
                ? t(page > 0 ? NO_STATUS_ON_PAGE : NO_STATUS, {
                    status: LEAD_STATUS_LABELS[status.value],
                  })
                : page > 0
                  ? t('No leads on this page')
                  : t('No leads found'),
              t('Choose another status to see more.'),
            ),
      );
      return;
    }
    replace(
      body,
      h(
        'table',
        { class: 'table leads' },
        h('caption', { class: 'visually-hidden' }, t('Leads of the campaign, in import order')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('Row'),
              t('Phone'),
              t('Status'),
              t('Attempts'),
              t('Last outcome'),
              t('Qualified'),
              t('Next attempt'),
              t('Variables'),
              t('Reason'),
            ].map((label) =>
              h(
                'th',
                {
                  scope: 'col',
                  class: label === t('Row') || label === t('Attempts') ? 'num' : undefined,
                },
                label,
              ),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          leads.map((l) => leadRow(l, openLead)),
        ),
      ),
    );
  }

  /** The lead whose detail is open, and whether it may still change (not in a final status). */
  let opened = null;

  async function openLead(leadId, { scroll = true } = {}) {
    try {
      const lead = await api(
        'GET',
        `/campaigns/${encodeURIComponent(campaignId)}/leads/${encodeURIComponent(leadId)}`,
      );
      opened = { id: lead.id, moving: MOVING_STATUSES.includes(lead.status), at: Date.now() };
      replace(
        detail,
        leadDetail(campaignId, lead, (id, answer) => {
          note.textContent = t('Back in the queue: {count}.', { count: num(answer.moved) });
          void openLead(id);
          void load();
          onChanged?.();
        }),
      );
      if (scroll) detail.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      errors.show(error);
    }
  }

  let searchTimer;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(restart, 250);
  });

  function restart() {
    cursors.length = 1;
    page = 0;
    load();
  }

  status.addEventListener('change', restart);
  size.addEventListener('change', restart);
  refresh.addEventListener('click', () => load());
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    load();
  });
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors[page + 1] = nextCursor;
    page += 1;
    load();
  });

  const el = h(
    'div',
    { class: 'card' },
    h('h2', {}, t('Leads')),
    h(
      'div',
      { class: 'toolbar' },
      field(t('Search by number or name'), search),
      field(t('Status'), status),
      field(t('Per page'), size),
      refresh,
      h('span', { class: 'spacer' }),
      pageInfo,
      prev,
      next,
    ),
    errors.el,
    body,
    note,
    detail,
  );
  load();

  return {
    el,
    /** While calls are made, the page shown follows them. */
    update(c) {
      const moving = c.status === 'running' || c.progress?.in_progress > 0;
      if (moving && !loading && Date.now() - loadedAt > REFRESH_MS) load();
      // A lead being called (or waiting for its call) is followed until it settles.
      if (opened?.moving && Date.now() - opened.at > REFRESH_MS)
        void openLead(opened.id, { scroll: false });
    },
    shown: () => load(),
  };
}
