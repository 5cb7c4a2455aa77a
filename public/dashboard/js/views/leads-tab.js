import { api } from '../api.js';
import { emptyState, errorBox, field, h, replace } from '../dom.js';
import { dateTime, LEAD_STATUS_LABELS, num } from '../format.js';
import { t } from '../i18n.js';

const PAGE_SIZES = [10, 25, 50, 100, 200];
const REFRESH_MS = 3000;

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

function leadRow(l) {
  return h(
    'tr',
    {},
    h('td', { class: 'num' }, l.row_number ?? '—'),
    h('th', { scope: 'row', class: 'mono' }, l.phone),
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
export function leadsTab(campaignId) {
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
        query: { status: status.value, limit: size.value, cursor: cursors[page] },
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
    pageInfo.textContent = leads.length ? `Page ${page + 1} · ${leads.length} leads shown` : '';
    if (leads.length === 0) {
      replace(
        body,
        page === 0 && !status.value
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
              `No ${status.value ? `“${LEAD_STATUS_LABELS[status.value]}” ` : ''}leads${page > 0 ? ' on this page' : ''}`,
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
        h('tbody', {}, leads.map(leadRow)),
      ),
    );
  }

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
  );
  load();

  return {
    el,
    /** While calls are made, the page shown follows them. */
    update(c) {
      const moving = c.status === 'running' || c.progress?.in_progress > 0;
      if (moving && !loading && Date.now() - loadedAt > REFRESH_MS) load();
    },
    shown: () => load(),
  };
}
