import { can } from '../access.js';
import { api, download } from '../api.js';
import { emptyState, errorBox, h, replace } from '../dom.js';
import { dateTime, num } from '../format.js';
import { t } from '../i18n.js';
import { pauseNote } from './pause-note.js';
import { requeueDialog } from './requeue-dialog.js';
import { confirmDialog } from './confirm-dialog.js';
import { importTab } from './import-tab.js';
import { leadsTab } from './leads-tab.js';
import { overviewTab } from './overview-tab.js';
import { settingsTab } from './settings-tab.js';
import { poller, statusBadge } from './widgets.js';

/** Each tab, and the operation a key needs to see it (the settings tab is read-only without PATCH). */
const TABS = [
  ['overview', t('Overview'), ['GET', '/campaigns/{id}']],
  ['leads', t('Leads'), ['GET', '/campaigns/{id}/leads']],
  ['import', t('Import leads'), ['POST', '/campaigns/{id}/leads']],
  ['settings', t('Settings'), ['GET', '/campaigns/{id}']],
];
const visibleTabs = () => TABS.filter(([, , [method, path]]) => can(method, path));
const DOWNLOADS = [
  ['csv', 'CSV', 'report.csv', {}],
  ['excel', t('Excel CSV'), 'report.csv', { excel: 'true' }],
  ['xlsx', 'XLSX', 'report.xlsx', {}],
];
/** Live while calls move: the campaign every second; otherwise every 5 s, in case another tab acts. */
const LIVE_MS = 1000;
const IDLE_MS = 5000;
/** The report sums every call: asked again only when progress changed, and at most this often. */
const REPORT_MIN_MS = 2000;

const isLive = (c) =>
  c.status === 'running' || c.progress?.in_progress > 0 || c.progress?.live_calls > 0;

/** The lifecycle buttons of a status that the key's role may press. */
function actionsFor(status) {
  return lifecycleOf(status).filter((a) => can('POST', `/campaigns/{id}/${a}`));
}

function lifecycleOf(status) {
  switch (status) {
    case 'draft':
      return ['start', 'cancel'];
    case 'scheduled':
    case 'running':
      return ['pause', 'requeue', 'cancel'];
    case 'paused':
      return ['resume', 'requeue', 'cancel'];
    case 'completed':
      return ['requeue'];
    default:
      return [];
  }
}

const ACTION_LABELS = {
  start: t('Start'),
  pause: t('Pause'),
  resume: t('Resume'),
  requeue: t('Call again those not reached'),
  cancel: t('Cancel campaign'),
};

/** One campaign: header with lifecycle buttons and downloads, then its tabs. */
export function campaignPage(campaignId, initialTab) {
  const base = `/campaigns/${encodeURIComponent(campaignId)}`;
  const errors = errorBox();
  const notice = h('p', { class: 'saved', role: 'status' });
  const title = h('h1', { tabindex: '-1' }, t('Campaign'));
  const paused = pauseNote(campaignId);
  const badge = h('span', {});
  const meta = h('p', { class: 'muted meta' });
  const actions = h('div', {
    class: 'actions',
    role: 'group',
    'aria-label': t('Campaign actions'),
  });
  const downloads = h(
    'div',
    { class: 'downloads', role: 'group', 'aria-label': t('Download the report') },
    h('span', { class: 'muted' }, t('Report:')),
    DOWNLOADS.map(([key, label, file, query]) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: 'small',
          dataset: { download: key },
          'aria-label': t('Download the report as {label}', { label }),
        },
        label,
      );
      button.addEventListener('click', () => save(button, label, file, query));
      return button;
    }),
  );
  const tabNav = h('nav', { class: 'tabs', 'aria-label': t('Campaign sections') });
  const content = h('div', { class: 'tab-content' });
  const body = h('div', { hidden: true }, tabNav, content);
  const loading = h('p', { class: 'loading' }, t('Loading the campaign…'));

  let campaign;
  let tab = initialTab;
  let busy = false;
  const tabs = {};
  let lastReportKey = '';
  let lastReportAt = 0;
  let lastSummary;

  function tabView(name) {
    if (!tabs[name]) {
      if (name === 'overview') tabs[name] = overviewTab();
      else if (name === 'leads') tabs[name] = leadsTab(campaignId, () => refresh.now());
      else if (name === 'import') tabs[name] = importTab(campaignId, () => refresh.now());
      else tabs[name] = settingsTab(campaignId, () => refresh.now());
      if (campaign) tabs[name].update?.(campaign);
      if (name === 'overview' && lastSummary) tabs[name].summary(lastSummary);
    } else {
      tabs[name].shown?.();
    }
    return tabs[name];
  }

  function drawTabs() {
    if (!visibleTabs().some(([name]) => name === tab)) tab = 'overview';
    replace(
      tabNav,
      visibleTabs().map(([name, label]) =>
        h(
          'a',
          {
            href: `#${base}/${name}`,
            'aria-current': name === tab ? 'page' : undefined,
            class: 'tab',
          },
          label,
        ),
      ),
    );
    replace(content, tabView(tab).el);
  }

  function drawHeader() {
    title.textContent = campaign.name;
    replace(badge, statusBadge(campaign.status));
    const zone = campaign.timezone;
    meta.textContent = [
      t('Created {date}', { date: dateTime(campaign.created_at) }),
      campaign.started_at ? t('started {date}', { date: dateTime(campaign.started_at) }) : null,
      campaign.completed_at
        ? t('finished {date}', { date: dateTime(campaign.completed_at) })
        : null,
      campaign.next_run_at
        ? t('next run {date}', { date: dateTime(campaign.next_run_at, zone) })
        : null,
      campaign.status === 'paused' && campaign.resumes_to
        ? t('resumes to {status}', { status: campaign.resumes_to })
        : null,
    ]
      .filter(Boolean)
      .join(' · ');
    paused.update(campaign);
    downloads.hidden = !(campaign.progress?.total > 0) || !can('GET', '/campaigns/{id}/report.csv');
    const wanted = actionsFor(campaign.status).join(',');
    if (actions.dataset.shown !== wanted) {
      actions.dataset.shown = wanted;
      replace(
        actions,
        actionsFor(campaign.status).map((a) =>
          h(
            'button',
            {
              type: 'button',
              class: a === 'cancel' ? 'danger-outline' : a === 'requeue' ? '' : 'primary',
              dataset: { action: a },
              onclick: () => act(a),
              disabled: busy,
            },
            ACTION_LABELS[a],
          ),
        ),
      );
    }
  }

  function show(c) {
    campaign = c;
    view.title = c.name;
    drawHeader();
    for (const t of Object.values(tabs)) t.update?.(c);
    if (body.hidden) {
      body.hidden = false;
      loading.remove();
      drawTabs();
    }
  }

  /** Answers whether the summary shown matches `c` (false: asked too recently, ask again soon). */
  async function loadReport(c) {
    const key = JSON.stringify([c.status, c.progress]);
    if (key === lastReportKey) return true;
    if (Date.now() - lastReportAt < REPORT_MIN_MS) return false;
    lastReportAt = Date.now();
    try {
      const report = await api('GET', `${base}/report`, { query: { limit: 1 } });
      lastReportKey = key;
      lastSummary = report.summary;
      tabs.overview?.summary(report.summary);
    } catch (error) {
      tabs.overview?.summaryFailed(error);
    }
    return true;
  }

  const refresh = poller(async () => {
    try {
      const c = await api('GET', base);
      errors.clear();
      show(c);
      const current = await loadReport(c);
      return isLive(c) || !current ? LIVE_MS : IDLE_MS;
    } catch (error) {
      if (!campaign) {
        loading.remove();
        replace(
          content,
          emptyState(
            error.status === 404 ? t('No such campaign') : t('The campaign could not be loaded'),
            error.message,
            h('a', { href: '#/', class: 'button' }, t('Back to campaigns')),
          ),
        );
        body.hidden = false;
        return error.status === 404 ? 60_000 : IDLE_MS;
      }
      errors.show(error);
      return IDLE_MS;
    }
  }, IDLE_MS);

  function setBusy(value) {
    busy = value;
    for (const b of actions.querySelectorAll('button')) b.disabled = value;
  }

  async function act(action) {
    if (action === 'cancel') {
      const sure = await confirmDialog({
        title: t('Cancel “{name}”?', { name: campaign.name }),
        text: t(
          'Leads still waiting will not be called, and calls in progress are ended. A cancelled campaign cannot be started again.',
        ),
        confirmLabel: t('Cancel the campaign'),
        cancelLabel: t('Keep it'),
      });
      if (!sure) return;
    }
    if (action === 'requeue') {
      const answer = await requeueDialog(campaign, (body) =>
        api('POST', `${base}/requeue`, { body }),
      );
      if (!answer) return;
      show(answer.campaign);
      notice.textContent = t('Back in the queue: {count}.', { count: num(answer.moved) });
      lastReportAt = 0;
      refresh.now();
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      show(await api('POST', `${base}/${action}`));
      lastReportAt = 0;
    } catch (error) {
      errors.show({
        ...error,
        message: t('Could not {action}: {message}', {
          action: ACTION_LABELS[action],
          message: error.message,
        }),
      });
    } finally {
      setBusy(false);
      refresh.now();
    }
  }

  async function save(button, label, file, query) {
    const text = button.textContent;
    button.disabled = true;
    button.textContent = t('Preparing…');
    errors.clear();
    try {
      await download(`${base}/${file}`, query, `${campaignId}-${file}`);
    } catch (error) {
      errors.show({
        ...error,
        message: t('The {label} report could not be downloaded: {message}', {
          label,
          message: error.message,
        }),
      });
    } finally {
      button.disabled = false;
      button.textContent = text;
    }
  }

  const el = h(
    'section',
    { class: 'campaign' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, t('← Campaigns'))),
    h('div', { class: 'page-head' }, h('div', { class: 'title-line' }, title, badge), actions),
    h('div', { class: 'subhead' }, meta, downloads),
    paused.el,
    notice,
    errors.el,
    loading,
    body,
  );

  const view = {
    campaignId,
    title: t('Campaign'),
    el,
    update(match) {
      const next = match[2] ?? 'overview';
      if (next === tab) return;
      tab = next;
      if (campaign) drawTabs();
    },
    destroy() {
      refresh.stop();
      for (const t of Object.values(tabs)) t.destroy?.();
    },
  };
  refresh.start();
  return view;
}
