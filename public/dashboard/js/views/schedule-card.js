/* global window */
import { can } from '../access.js';
import { api } from '../api.js';
import { errorBox, h, replace, uid } from '../dom.js';
import { dateTime } from '../format.js';
import { lang, t } from '../i18n.js';

/** The cron read out in the page's language by cronstrue (a vendor script), or null. */
function humanCron(cron, zone) {
  const cronstrue = window.cronstrue;
  if (!cronstrue || !cron.trim()) return null;
  try {
    const words = cronstrue.toString(cron.trim(), {
      locale: lang,
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
    return `${words}, ${zone}`;
  } catch {
    return null;
  }
}

/**
 * The schedule editor: the cron with its reading ("At 19:00, Monday through Friday, Europe/Paris")
 * and its next three runs in the campaign's zone (asked of the API, labelled with the zone);
 * save, remove, and "Run now" for a campaign waiting for its next run.
 */
export function scheduleCard(campaignId, onChanged) {
  const base = `/campaigns/${encodeURIComponent(campaignId)}`;
  const errors = errorBox();
  const id = uid('cron');
  const cron = h('input', {
    type: 'text',
    id,
    name: 'cron',
    placeholder: '0 19 * * 1-5',
    spellcheck: 'false',
    dataset: { field: 'schedule.cron' },
    'aria-describedby': `${id}-reading ${id}-runs`,
  });
  const reading = h('p', { class: 'cron-reading', id: `${id}-reading`, 'aria-live': 'polite' });
  const runs = h('div', { class: 'next-runs', id: `${id}-runs` });
  const save = h('button', { type: 'button', class: 'primary' }, t('Save schedule'));
  const remove = h('button', { type: 'button' }, t('Remove schedule'));
  const runNow = h('button', { type: 'button', class: 'primary', hidden: true }, t('Run now'));
  const status = h('p', { class: 'saved', role: 'status' });
  const el = h(
    'section',
    { class: 'card schedule-card' },
    h('h2', {}, t('Schedule')),
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, t('Cron expression (minute hour day month weekday)')),
      cron,
      reading,
      runs,
    ),
    errors.el,
    h('div', { class: 'actions' }, save, remove, runNow, status),
  );

  let campaign;
  let typed = false;
  let asked = 0;

  async function preview() {
    const zone = campaign?.timezone ?? 'UTC';
    const text = cron.value.trim();
    reading.textContent = text
      ? (humanCron(text, zone) ?? t('Not a cron expression yet'))
      : t('No schedule: the campaign runs only when started by hand.');
    if (!text) return replace(runs);
    const mine = ++asked;
    try {
      const answer = await api('GET', '/schedule-preview', {
        query: { cron: text, timezone: zone, count: 3 },
      });
      if (mine !== asked) return;
      replace(
        runs,
        h('p', { class: 'label' }, t('Next three runs ({zone})', { zone: answer.timezone })),
        h(
          'ol',
          {},
          answer.next_runs.map((r) => h('li', {}, dateTime(r, answer.timezone))),
        ),
      );
    } catch (error) {
      if (mine !== asked) return;
      replace(runs, h('p', { class: 'field-error' }, error.message));
    }
  }

  let timer;
  cron.addEventListener('input', () => {
    typed = true;
    status.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });

  async function send(body, done) {
    errors.clear();
    status.textContent = '';
    try {
      await api(body ? 'PATCH' : 'POST', body ? base : `${base}/run-now`, { body });
      typed = false;
      status.textContent = done;
      onChanged?.();
    } catch (error) {
      errors.show(error);
    }
  }

  save.addEventListener('click', () =>
    send(
      { schedule: cron.value.trim() ? { cron: cron.value.trim() } : null },
      t('Schedule saved.'),
    ),
  );
  remove.addEventListener('click', () => send({ schedule: null }, t('Schedule removed.')));
  runNow.addEventListener('click', () => send(undefined, t('The run has started.')));

  return {
    el,
    update(c) {
      const first = !campaign;
      const zoneChanged = campaign && campaign.timezone !== c.timezone;
      campaign = c;
      const editable = can('PATCH', '/campaigns/{id}');
      cron.readOnly = !editable;
      save.hidden = !editable;
      runNow.hidden = c.status !== 'scheduled' || !can('POST', '/campaigns/{id}/run-now');
      remove.hidden = !c.schedule || !editable;
      if (!typed && (first || (c.schedule?.cron ?? '') !== cron.value.trim())) {
        cron.value = c.schedule?.cron ?? '';
        void preview();
      } else if (zoneChanged) void preview();
    },
  };
}
