/* global window */
import { api } from '../api.js';
import { errorBox, field, h, replace, uid } from '../dom.js';
import { WEEKDAY_LABELS, WEEKDAYS } from '../format.js';
import { SETTINGS } from './settings-fields.js';
import { settingRows } from './setting-rows.js';
import { QUESTIONS_LIST_ID, qualificationEditor, rowList } from './qualification-rules.js';
import { t } from '../i18n.js';

const RETRY_OUTCOMES = [
  ['missed', t('Missed (no answer, busy)')],
  ['failed', t('Failed (the call could not be placed)')],
  ['unknown', t('Unknown (no final status)')],
];
const TIME = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

function numberInput(name, value, min, max) {
  return h('input', {
    type: 'number',
    name,
    value: String(value),
    min: String(min),
    max: String(max),
    step: '1',
    required: true,
    dataset: { field: name },
  });
}

function hoursRow(initial = { start: '', end: '' }, remove) {
  const start = h('input', {
    type: 'text',
    inputmode: 'numeric',
    pattern: TIME,
    placeholder: 'HH:MM',
    value: initial.start,
    required: true,
    size: '6',
  });
  const end = h('input', {
    type: 'text',
    inputmode: 'numeric',
    pattern: TIME,
    placeholder: 'HH:MM',
    value: initial.end,
    required: true,
    size: '6',
  });
  const startLabel = h('label', {});
  const endLabel = h('label', {});
  const removeButton = h('button', { type: 'button', class: 'icon', onclick: remove }, '×');
  const el = h('div', { class: 'inline-row' }, startLabel, start, endLabel, end, removeButton);
  return {
    el,
    focus: () => start.focus(),
    setIndex(i) {
      start.id = start.id || uid('start');
      end.id = end.id || uid('end');
      startLabel.htmlFor = start.id;
      endLabel.htmlFor = end.id;
      startLabel.textContent = t('From');
      endLabel.textContent = t('to');
      start.setAttribute('aria-label', t('Interval {n} start', { n: i + 1 }));
      end.setAttribute('aria-label', t('Interval {n} end', { n: i + 1 }));
      start.dataset.field = `calling_window.hours[${i}].start`;
      end.dataset.field = `calling_window.hours[${i}].end`;
      removeButton.setAttribute('aria-label', t('Remove interval {n}', { n: i + 1 }));
    },
    value: () => ({ start: start.value.trim(), end: end.value.trim() }),
  };
}

/** The agent's question names, offered to every rule's question box. */
function timeZones() {
  try {
    return window.Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Europe/Paris', 'Europe/London', 'America/New_York', 'UTC'];
  }
}

/** Creates a campaign; on success, goes to its import tab (the next thing to do). */
export function campaignForm() {
  const errors = errorBox();
  const name = h('input', {
    type: 'text',
    name: 'name',
    required: true,
    maxlength: '200',
    dataset: { field: 'name' },
  });
  const agent = h('input', {
    type: 'text',
    name: 'agent_id',
    required: true,
    spellcheck: 'false',
    placeholder: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
    dataset: { field: 'agent_id' },
  });
  const agentInfo = h('div', { class: 'agent-info', 'aria-live': 'polite' });
  const questionList = h('datalist', { id: QUESTIONS_LIST_ID });
  let agentAsked = 0;
  /** Checked against the platform as it is typed: its name, variables and questions shown. */
  async function checkAgent() {
    const id = agent.value.trim();
    const mine = ++agentAsked;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      replace(agentInfo);
      replace(questionList);
      return;
    }
    replace(agentInfo, h('p', { class: 'muted' }, t('Checking…')));
    try {
      const a = await api('GET', `/agents/${encodeURIComponent(id)}`);
      if (mine !== agentAsked) return;
      replace(
        agentInfo,
        h('p', { class: 'ok-text' }, `✓ ${a.name}`),
        h('p', { class: 'hint' }, `${t('Variables it expects')}: ${a.variables.join(', ') || '—'}`),
        h(
          'p',
          { class: 'hint' },
          `${t('Its post-call questions')}: ${
            a.post_call_questions.map((q) => `${q.name} (${q.type})`).join(', ') || '—'
          }`,
        ),
      );
      replace(
        questionList,
        a.post_call_questions.map((q) => h('option', { value: q.name }, q.description ?? q.type)),
      );
      controls.setQuestions(a.post_call_questions);
    } catch (error) {
      if (mine !== agentAsked) return;
      replace(agentInfo, h('p', { class: 'field-error' }, error.message));
      replace(questionList);
    }
  }
  let agentTimer;
  agent.addEventListener('input', () => {
    clearTimeout(agentTimer);
    agentTimer = setTimeout(checkAgent, 300);
  });

  const fromNumbers = h('textarea', {
    name: 'from_numbers',
    rows: '2',
    required: true,
    spellcheck: 'false',
    placeholder: '+33912345678',
    dataset: { field: 'from_numbers' },
  });
  const zoneList = h(
    'datalist',
    { id: uid('zones') },
    timeZones().map((z) => h('option', { value: z })),
  );
  const timezone = h('input', {
    type: 'text',
    name: 'timezone',
    list: zoneList.id,
    placeholder: 'Europe/Paris',
    spellcheck: 'false',
    dataset: { field: 'timezone' },
  });
  const country = h('input', {
    type: 'text',
    name: 'default_country',
    maxlength: '2',
    size: '3',
    placeholder: 'FR',
    dataset: { field: 'default_country' },
  });

  const dayBoxes = WEEKDAYS.map((d) =>
    h('input', {
      type: 'checkbox',
      name: 'days',
      value: d,
      id: uid(`day-${d}`),
      checked: !['sat', 'sun'].includes(d),
    }),
  );
  const days = h(
    'fieldset',
    { class: 'checks', dataset: { field: 'calling_window.days' } },
    h('legend', {}, t('Days')),
    dayBoxes.map((box) =>
      h('span', { class: 'check' }, box, h('label', { for: box.id }, WEEKDAY_LABELS[box.value])),
    ),
  );
  const hours = rowList(hoursRow, t('Add hours'));
  hours.add({ start: '10:00', end: '13:00' });
  hours.add({ start: '14:00', end: '18:00' });

  const concurrent = numberInput('max_concurrent_calls', 10, 1, 1000);
  const perMinute = numberInput('max_calls_per_minute', 60, 1, 6000);
  const attempts = numberInput('retry.max_attempts', 3, 1, 10);
  const delay = numberInput('retry.delay_minutes', 60, 0, 10080);
  const retryBoxes = RETRY_OUTCOMES.map(([v]) =>
    h('input', { type: 'checkbox', value: v, id: uid(`retry-${v}`), checked: v !== 'unknown' }),
  );
  const retryOn = h(
    'fieldset',
    { class: 'checks column', dataset: { field: 'retry.on' } },
    h('legend', {}, t('Call again when the call was')),
    retryBoxes.map((box, i) =>
      h('span', { class: 'check' }, box, h('label', { for: box.id }, RETRY_OUTCOMES[i][1])),
    ),
  );
  const cron = h('input', {
    type: 'text',
    name: 'schedule',
    placeholder: '0 19 * * 1-5',
    spellcheck: 'false',
    dataset: { field: 'schedule.cron' },
  });

  const qualification = qualificationEditor(QUESTIONS_LIST_ID);
  // The controls, retry rules and calling laws: the settings tab's own editors (settings-fields.js).
  const controls = settingRows(SETTINGS.filter((x) => x.create));
  controls.fill({});

  const submit = h('button', { type: 'submit', class: 'primary' }, t('Create campaign'));

  function body() {
    const b = {
      name: name.value.trim(),
      agent_id: agent.value.trim(),
      from_numbers: fromNumbers.value.split(/[\s,;]+/).filter(Boolean),
      calling_window: {
        days: dayBoxes.filter((x) => x.checked).map((x) => x.value),
        hours: hours.rows.map((r) => r.value()),
      },
      max_concurrent_calls: concurrent.valueAsNumber,
      max_calls_per_minute: perMinute.valueAsNumber,
      retry: {
        max_attempts: attempts.valueAsNumber,
        delay_minutes: delay.valueAsNumber,
        on: retryBoxes.filter((x) => x.checked).map((x) => x.value),
      },
    };
    // Merged, not assigned: the controls' `retry.by_outcome` joins the retry fields above.
    for (const [key, value] of Object.entries(controls.body()))
      b[key] = b[key] && typeof value === 'object' ? { ...b[key], ...value } : value;
    if (timezone.value.trim()) b.timezone = timezone.value.trim();
    if (country.value.trim()) b.default_country = country.value.trim().toUpperCase();
    if (cron.value.trim()) b.schedule = { cron: cron.value.trim() };
    const rules = qualification.get();
    if (rules) b.qualification = rules;
    return b;
  }

  const form = h(
    'form',
    { class: 'campaign-form', novalidate: true },
    errors.el,
    h(
      'div',
      { class: 'form-grid' },
      h(
        'div',
        {},
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Campaign')),
          field(t('Name'), name),
          field(t('Agent ID'), agent, t('The CallRounded agent that places the calls (a UUID).')),
          agentInfo,
          questionList,
          field(
            t('Caller numbers'),
            fromNumbers,
            t('One or more numbers of your account in E.164 (+33…), one per line; used in turn.'),
          ),
          h(
            'div',
            { class: 'two' },
            field(t('Time zone'), timezone, t('Empty: the zone of the first caller number.')),
            field(t('Default country'), country, t('For lead numbers without +code.')),
          ),
          zoneList,
        ),
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Qualification')),
          h(
            'p',
            { class: 'hint' },
            t(
              'Rules on the post-call answers that make a lead qualified, by question name (e.g. interested equals true). Leave empty for none.',
            ),
          ),
          qualification.el,
        ),
      ),
      h(
        'div',
        {},
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Calling window')),
          h(
            'p',
            { class: 'hint' },
            t('Read in each lead’s own time zone. 24:00 is the end of the day.'),
          ),
          days,
          h('div', { class: 'field' }, h('span', { class: 'label' }, t('Hours')), hours.el),
        ),
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Limits')),
          h(
            'div',
            { class: 'two' },
            field(t('Calls at once (max)'), concurrent),
            field(t('Call starts per minute (max)'), perMinute),
          ),
        ),
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Retries')),
          h(
            'div',
            { class: 'two' },
            field(t('Attempts per lead (max)'), attempts),
            field(t('Minutes between attempts'), delay),
          ),
          retryOn,
        ),
        h(
          'fieldset',
          { class: 'card settings-form' },
          h('legend', {}, t('Controls and calling laws')),
          controls.els,
        ),
        h(
          'fieldset',
          { class: 'card' },
          h('legend', {}, t('Schedule')),
          field(
            t('Start runs at (cron)'),
            cron,
            t(
              'Optional, in the campaign’s time zone, e.g. 0 19 * * 1-5. Empty: runs only when started by hand.',
            ),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions sticky' },
      submit,
      h('a', { href: '#/', class: 'button' }, t('Cancel')),
    ),
  );

  function markInvalid(details) {
    for (const input of form.querySelectorAll('[aria-invalid]'))
      input.removeAttribute('aria-invalid');
    for (const d of details ?? []) {
      for (const input of form.querySelectorAll('[data-field]')) {
        const f = input.dataset.field;
        if (
          d.field === f ||
          d.field?.startsWith(`${f}.`) ||
          d.field?.startsWith(`${f}[`) ||
          f.startsWith(`${d.field}.`)
        ) {
          input.setAttribute('aria-invalid', 'true');
        }
      }
    }
  }

  form.addEventListener('input', (event) => {
    event.target.removeAttribute?.('aria-invalid');
    controls.clear(event.target);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    let payload;
    try {
      payload = body();
    } catch (problem) {
      errors.show(problem);
      markInvalid(problem.details);
      controls.showDetails(problem.details);
      return;
    }
    submit.disabled = true;
    submit.textContent = t('Creating…');
    try {
      const campaign = await api('POST', '/campaigns', { body: payload });
      window.location.hash = `#/campaigns/${encodeURIComponent(campaign.id)}/import`;
    } catch (error) {
      errors.show(error);
      markInvalid(error.details);
      controls.showDetails(error.details);
      errors.el.scrollIntoView({ block: 'nearest' });
    } finally {
      submit.disabled = false;
      submit.textContent = t('Create campaign');
    }
  });

  const el = h(
    'section',
    {},
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('New campaign'))),
    form,
  );
  return { title: t('New campaign'), el };
}
