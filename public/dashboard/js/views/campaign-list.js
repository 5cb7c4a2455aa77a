import { can } from '../access.js';
import { api } from '../api.js';
import { emptyState, errorBox, h, replace } from '../dom.js';
import { dateTime, num } from '../format.js';
import { poller, progressBar, statusBadge } from './widgets.js';
import { t } from '../i18n.js';

const PAGE = 50;
const ACTIVE = new Set(['running', 'scheduled', 'paused']);

function nextRun(c) {
  if (c.next_run_at) return dateTime(c.next_run_at);
  if (c.status === 'running') return t('Running now');
  if (!c.schedule && (c.status === 'draft' || c.status === 'paused'))
    return t('When started by hand');
  return '—';
}

function row(c) {
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, h('a', { href: `#/campaigns/${encodeURIComponent(c.id)}` }, c.name)),
    h('td', {}, statusBadge(c.status)),
    h('td', { class: 'col-progress' }, progressBar(c.progress, c.name)),
    h('td', { class: 'num' }, num(c.progress?.qualified ?? 0)),
    h('td', {}, nextRun(c)),
    h('td', {}, dateTime(c.created_at)),
  );
}

/** Every campaign, newest first, with its progress kept fresh while some are active. */
export function campaignList() {
  const errors = errorBox();
  // The table scrolls inside its card on a phone, never the page.
  const body = h(
    'div',
    { class: 'card table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Campaigns') },
    h('p', { class: 'loading' }, t('Loading campaigns…')),
  );
  const more = h('button', { type: 'button', hidden: true }, t('Show more campaigns'));
  let campaigns = [];
  let nextCursor = null;
  let loaded = false;

  function draw() {
    if (campaigns.length === 0) {
      replace(
        body,
        emptyState(
          t('No campaigns yet'),
          can('POST', '/campaigns')
            ? t('Create a campaign, upload its lead file, then start it.')
            : t('Campaigns created by your team show here.'),
          can('POST', '/campaigns')
            ? h('a', { href: '#/new', class: 'button primary' }, t('Create a campaign'))
            : null,
        ),
      );
    } else {
      replace(
        body,
        h(
          'table',
          { class: 'table' },
          h('caption', { class: 'visually-hidden' }, t('Campaigns, newest first')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                t('Campaign'),
                t('Status'),
                t('Progress (final ÷ total)'),
                t('Qualified'),
                t('Next scheduled run'),
                t('Created'),
              ].map((label) =>
                h(
                  'th',
                  { scope: 'col', class: label === t('Qualified') ? 'num' : undefined },
                  label,
                ),
              ),
            ),
          ),
          h('tbody', {}, campaigns.map(row)),
        ),
      );
    }
    more.hidden = !nextCursor;
  }

  async function load(cursor) {
    try {
      const page = await api('GET', '/campaigns', { query: { limit: PAGE, cursor } });
      campaigns = cursor ? [...campaigns, ...page.data] : page.data;
      nextCursor = page.next_cursor;
      loaded = true;
      errors.clear();
      draw();
    } catch (error) {
      errors.show(error);
      if (!loaded)
        replace(body, emptyState(t('Campaigns could not be loaded'), t('See the message above.')));
    }
  }

  // Refreshes what is shown while something moves; idle lists are left alone.
  const refresh = poller(async () => {
    if (!loaded || !campaigns.some((c) => ACTIVE.has(c.status) || c.progress?.in_progress > 0))
      return 3000;
    const page = await api('GET', '/campaigns', {
      query: { limit: Math.min(200, Math.max(PAGE, campaigns.length)) },
    });
    campaigns = page.data;
    nextCursor = page.next_cursor;
    draw();
    return 3000;
  }, 3000);

  more.addEventListener('click', () => load(nextCursor));
  load().then(() => refresh.start());

  const el = h(
    'section',
    {},
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, t('Campaigns')),
      can('POST', '/campaigns')
        ? h('a', { href: '#/new', class: 'button primary' }, t('New campaign'))
        : null,
    ),
    errors.el,
    body,
    h('div', { class: 'actions' }, more),
  );
  return { title: t('Campaigns'), el, destroy: () => refresh.stop() };
}
