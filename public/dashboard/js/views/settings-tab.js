import { can } from '../access.js';
import { api } from '../api.js';
import { errorBox, h, replace } from '../dom.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';
import { SETTINGS } from './settings-fields.js';
import { settingRows } from './setting-rows.js';
import { scheduleCard } from './schedule-card.js';
import { testCallCard } from './test-call-card.js';

function questionText(q) {
  const type = q?.type ? ` (${q.type.replaceAll('_', ' ')})` : '';
  return `${q?.name ?? '?'}${type}${q?.description ? ` — ${q.description}` : ''}`;
}

/**
 * The campaign's settings, editable: every entry of SETTINGS, sent as one PATCH of what changed;
 * a 400 shows each field's message under that field. Then the schedule and what the agent asks.
 */
export function settingsTab(campaignId, onSaved) {
  const base = `/campaigns/${encodeURIComponent(campaignId)}`;
  const errors = errorBox();
  const saved = h('p', { class: 'saved', role: 'status' });
  const settings = settingRows(SETTINGS);
  // A key that may not PATCH reads the settings: the same form, every control disabled.
  const editable = can('PATCH', '/campaigns/{id}');
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', hidden: !editable },
    t('Save settings'),
  );
  const form = h(
    'form',
    { class: 'settings-form', novalidate: true },
    h('fieldset', { class: 'setting-fields', disabled: !editable }, settings.els),
    errors.el,
    h('div', { class: 'actions' }, submit, saved),
  );
  const schedule = scheduleCard(campaignId, onSaved);
  const info = h('dl', { class: 'settings' });
  const el = h(
    'div',
    { class: 'settings-tab' },
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('Settings')),
      editable
        ? null
        : h('p', { class: 'muted' }, t('Your key may read these settings, not change them.')),
      form,
    ),
    schedule.el,
    can('POST', '/campaigns/{id}/test-call') ? testCallCard(campaignId).el : null,
    h('section', { class: 'card' }, h('h2', {}, t('Agent and history')), info),
  );

  let campaign;
  let dirty = false;
  form.addEventListener('input', (event) => {
    dirty = true;
    saved.textContent = '';
    settings.clear(event.target);
  });

  // Adding or removing a rule row is an edit too: a poll must not redraw it away.
  form.addEventListener('click', (event) => {
    if (event.target.closest?.('.setting-fields button')) dirty = true;
  });

  function fill(c) {
    settings.fill(c);
    dirty = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    saved.textContent = '';
    settings.clear();
    let body;
    try {
      body = settings.body(campaign);
    } catch (problem) {
      settings.showDetails(problem.details);
      errors.show(problem);
      return;
    }
    if (Object.keys(body).length === 0) {
      saved.textContent = t('Nothing changed.');
      return;
    }
    submit.disabled = true;
    try {
      const c = await api('PATCH', base, { body });
      campaign = c;
      fill(c);
      saved.textContent = t('Settings saved.');
      onSaved?.();
    } catch (error) {
      const left = settings.showDetails(error.details);
      // Spread would lose `message` (not enumerable on an Error): name both fields.
      errors.show(
        left.length > 0 || !error.details?.length
          ? { message: error.message, details: left }
          : { message: t('Nothing was saved: see the messages by the fields.') },
      );
    } finally {
      submit.disabled = false;
    }
  });

  /** The agent's post-call questions, offered by the compliance questions' lists. */
  async function loadQuestions(c) {
    settings.setQuestions(c.questions ?? []);
    try {
      const agent = await api('GET', `/agents/${encodeURIComponent(c.agent_id)}`);
      settings.setQuestions(agent.post_call_questions);
    } catch {
      /* the stored questions stay offered; the agent check says why elsewhere */
    }
  }

  function drawInfo(c) {
    const questions =
      Array.isArray(c.questions) && c.questions.length > 0
        ? h(
            'ul',
            {},
            c.questions.map((q) => h('li', {}, questionText(q))),
          )
        : t('Not fetched yet');
    replace(
      info,
      h('dt', {}, t('Agent’s post-call questions')),
      h('dd', {}, questions),
      h('dt', {}, t('Created')),
      h('dd', {}, dateTime(c.created_at)),
      h('dt', {}, t('Started')),
      h('dd', {}, dateTime(c.started_at)),
      h('dt', {}, t('Finished')),
      h('dd', {}, dateTime(c.completed_at)),
    );
  }

  return {
    el,
    update(c) {
      const first = !campaign;
      campaign = c;
      // A poll must not wipe what the user is typing.
      if (first || !dirty) fill(c);
      if (first) void loadQuestions(c);
      drawInfo(c);
      schedule.update(c);
    },
  };
}
