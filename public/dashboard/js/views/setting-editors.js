import { h, uid } from '../dom.js';
import { WEEKDAY_LABELS, WEEKDAYS } from '../format.js';
import { lang, t } from '../i18n.js';
import { qualificationEditor, rowList } from './qualification-rules.js';

/**
 * One editor per setting type of settings-fields.js: `{ el, control, get(), set(value),
 * legend?, setQuestions?(questions) }`. `get` throws `invalid` on an entry that cannot be sent;
 * an editor with `legend` is a fieldset naming itself (no separate label). Sub-inputs carry the
 * API's field path in `data-field`, so a 400's detail marks the very input it names.
 */
export const label = (pair) => (lang === 'fr' ? pair[1] : pair[0]);

/** A problem found before sending, shaped as the API's 400 so it shows in the same place. */
export function invalid(field, message) {
  return Object.assign(new Error(`${field}: ${message}`), { details: [{ field, message }] });
}

function textEditor(s, type, placeholder) {
  const control = h('input', { type, placeholder, dataset: { field: s.field } });
  return {
    el: control,
    control,
    get: () => {
      const v = control.value.trim();
      return v === '' && s.nullable ? null : v;
    },
    set: (v) => (control.value = v ?? ''),
  };
}

function numberInput(field, { whole = true, min, max, step } = {}) {
  return h('input', {
    type: 'number',
    step: step ?? (whole ? '1' : 'any'),
    min: min === undefined ? undefined : String(min),
    max: max === undefined ? undefined : String(max),
    inputmode: whole ? 'numeric' : 'decimal',
    dataset: { field },
  });
}

/** The number typed, null when empty and allowed, else `invalid` naming the field. */
function numberOf(input, field, nullable) {
  if (input.value.trim() === '') {
    if (nullable) return null;
    throw invalid(field, t('is required'));
  }
  return Number(input.value);
}

function numberEditor(s, whole) {
  const control = numberInput(s.field, { whole });
  return {
    el: control,
    control,
    get: () => numberOf(control, s.field, s.nullable),
    set: (v) => (control.value = v == null ? '' : String(v)),
  };
}

/** A labelled sub-input of a composite editor; `prefix` (read aloud only) tells repeated ones apart. */
function sub(text, control, prefix) {
  control.id ||= uid('sub');
  const hidden =
    prefix === undefined ? null : h('span', { class: 'visually-hidden' }, prefix && `${prefix}: `);
  return h('div', { class: 'field' }, h('label', { for: control.id }, hidden, text), control);
}

function checkbox(text, field) {
  const box = h('input', { type: 'checkbox', id: uid('c'), dataset: { field } });
  return { box, el: h('label', { class: 'check', for: box.id }, box, text) };
}

function checkboxes(s, options) {
  const boxes = options.map(([value, text]) => {
    const box = h('input', { type: 'checkbox', value, id: uid('c') });
    return { value, box, el: h('label', { class: 'check', for: box.id }, box, text) };
  });
  const el = h(
    'fieldset',
    { class: 'checks', dataset: { field: s.field } },
    h('legend', { class: 'visually-hidden' }, label(s.label)),
    boxes.map((b) => b.el),
  );
  return {
    el,
    control: el,
    labelledBy: true,
    get: () => boxes.filter((b) => b.box.checked).map((b) => b.value),
    set: (v) => boxes.forEach((b) => (b.box.checked = (v ?? []).includes(b.value))),
  };
}

function group(s, ...children) {
  return h(
    'fieldset',
    { class: 'setting-group', dataset: { field: s.field } },
    h('legend', {}, label(s.label)),
    ...children,
  );
}

/** `datetime-local` in the browser's zone (named in the hint), sent as an ISO instant. */
function datetimeEditor(s) {
  const control = h('input', { type: 'datetime-local', dataset: { field: s.field } });
  const pad = (n) => String(n).padStart(2, '0');
  return {
    el: control,
    control,
    hint: t('In your time zone ({zone}). Empty: none.', {
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    }),
    get: () => (control.value ? new Date(control.value).toISOString() : null),
    set(v) {
      if (!v) return (control.value = '');
      const d = new Date(v);
      control.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    },
  };
}

const OUTCOMES = [
  ['missed', t('Missed (no answer, busy)'), t('Missed')],
  ['failed', t('Failed (the call could not be placed)'), t('Failed')],
  ['unknown', t('Unknown (no final status)'), t('Unknown')],
];

/** Two numbers of a retry rule, their fields named `{path}.max_attempts` / `.delay_minutes`. */
function ruleInputs(path) {
  const attempts = numberInput(`${path}.max_attempts`, { min: 1 });
  const delay = numberInput(`${path}.delay_minutes`, { min: 0 });
  return {
    attempts,
    delay,
    get: () => ({
      max_attempts: numberOf(attempts, `${path}.max_attempts`, false),
      delay_minutes: numberOf(delay, `${path}.delay_minutes`, false),
    }),
    set(rule) {
      attempts.value = rule ? String(rule.max_attempts) : '';
      delay.value = rule ? String(rule.delay_minutes) : '';
    },
  };
}

/** `retry.by_outcome`: per outcome, "its own rule" on/off and the rule's two numbers. */
function outcomeRulesEditor(s) {
  const rows = OUTCOMES.map(([outcome, text, short]) => {
    const on = checkbox(text, `${s.field}.${outcome}`);
    const rule = ruleInputs(`${s.field}.${outcome}`);
    const numbers = h(
      'div',
      { class: 'two' },
      sub(t('Attempts (max, the first included)'), rule.attempts, short),
      sub(t('Minutes before the next call'), rule.delay, short),
    );
    const show = () => (numbers.hidden = !on.box.checked);
    on.box.addEventListener('change', () => {
      if (on.box.checked && !rule.attempts.value) rule.set({ max_attempts: 2, delay_minutes: 60 });
      show();
    });
    return { outcome, on, rule, show, el: h('div', { class: 'rule-block' }, on.el, numbers) };
  });
  const el = group(
    s,
    rows.map((r) => r.el),
  );
  return {
    el,
    control: el,
    legend: true,
    get: () =>
      Object.fromEntries(
        rows.filter((r) => r.on.box.checked).map((r) => [r.outcome, r.rule.get()]),
      ),
    set(v) {
      for (const r of rows) {
        r.on.box.checked = Boolean(v?.[r.outcome]);
        r.rule.set(v?.[r.outcome]);
        r.show();
      }
    },
  };
}

/** `retry.by_status`: a row per platform status (its name and rule), added and removed. */
function statusRulesEditor(s) {
  const makeRow = (initial, removeRow) => {
    const { status = '', rule = { max_attempts: 2, delay_minutes: 1440 } } = initial ?? {};
    const name = h('input', {
      type: 'text',
      spellcheck: 'false',
      placeholder: 'voicemail',
      dataset: { field: `${s.field}.${status}` },
    });
    name.value = status;
    const inputs = ruleInputs(`${s.field}.${status}`);
    inputs.set(rule);
    const remove = h('button', { type: 'button', class: 'small', onclick: removeRow }, t('Remove'));
    const el = h(
      'div',
      { class: 'status-rule' },
      sub(t('Platform status'), name, ''),
      sub(t('Attempts (max)'), inputs.attempts, ''),
      sub(t('Minutes before the next call'), inputs.delay, ''),
      remove,
    );
    // Field paths follow the typed status, so the API's details land on this row.
    name.addEventListener('input', () => {
      const path = `${s.field}.${name.value.trim().toLowerCase()}`;
      name.dataset.field = path;
      inputs.attempts.dataset.field = `${path}.max_attempts`;
      inputs.delay.dataset.field = `${path}.delay_minutes`;
    });
    return {
      el,
      name,
      inputs,
      focus: () => name.focus(),
      /** The row's hidden label prefix and its Remove button name its number. */
      setIndex(i) {
        const prefix = t('Status rule {n}', { n: i + 1 });
        for (const span of el.querySelectorAll('label .visually-hidden'))
          span.textContent = `${prefix}: `;
        remove.setAttribute('aria-label', t('Remove status rule {n}', { n: i + 1 }));
      },
    };
  };
  const { el: list, rows, add, clear } = rowList(makeRow, t('Add a status rule'));
  const el = group(
    s,
    h(
      'p',
      { class: 'hint' },
      t('Ahead of the outcome’s rule, for a status of the platform (e.g. voicemail).'),
    ),
    list,
  );
  return {
    el,
    control: el,
    legend: true,
    get() {
      const out = {};
      for (const r of rows) {
        const status = r.name.value.trim().toLowerCase();
        if (!status) throw invalid(s.field, t('each rule needs the status it applies to'));
        if (out[status])
          throw invalid(`${s.field}.${status}`, t('{status} has two rules', { status }));
        out[status] = r.inputs.get();
      }
      return out;
    },
    set(v) {
      clear();
      for (const [status, rule] of Object.entries(v ?? {})) add({ status, rule });
    },
  };
}

const DEFAULT_BREAKER = { failure_rate: 0.5, window_minutes: 2, min_calls: 10 };

/** `auto_pause`: on/off and its three numbers (the share typed as a percentage). */
function breakerEditor(s) {
  const on = checkbox(t('Pause when the platform fails too many calls'), s.field);
  const rate = numberInput(`${s.field}.failure_rate`, { min: 1, max: 100 });
  const minutes = numberInput(`${s.field}.window_minutes`, { min: 1 });
  const calls = numberInput(`${s.field}.min_calls`, { min: 1 });
  const numbers = h(
    'div',
    { class: 'three' },
    sub(t('Failed share (%)'), rate),
    sub(t('Over the last (minutes)'), minutes),
    sub(t('Once this many calls'), calls),
  );
  const show = () => (numbers.hidden = !on.box.checked);
  on.box.addEventListener('change', show);
  const el = group(s, on.el, numbers);
  return {
    el,
    control: el,
    legend: true,
    get: () =>
      on.box.checked
        ? {
            failure_rate: numberOf(rate, `${s.field}.failure_rate`, false) / 100,
            window_minutes: numberOf(minutes, `${s.field}.window_minutes`, false),
            min_calls: numberOf(calls, `${s.field}.min_calls`, false),
          }
        : false,
    set(v) {
      const values = v || DEFAULT_BREAKER;
      on.box.checked = v !== false;
      rate.value = String(Math.round(values.failure_rate * 1000) / 10);
      minutes.value = String(values.window_minutes);
      calls.value = String(values.min_calls);
      show();
    },
  };
}

const RULE_CHOICES = [
  ['auto', t('The law of each lead’s number (recommended)')],
  ['none', t('No calling law: only the campaign’s window')],
  ['list', t('These jurisdictions for every lead')],
];

/** A select of the agent's yes/no questions (and "none"), keeping a stored name it no longer has. */
function questionSelect(field) {
  const select = h('select', { dataset: { field } });
  let current = null;
  let questions = [];
  function draw() {
    const names = questions.filter((q) => !q.type || q.type === 'boolean').map((q) => q.name);
    if (current && !names.includes(current)) names.push(current);
    select.replaceChildren(
      h('option', { value: '' }, t('None')),
      ...names.map((n) => h('option', { value: n, selected: n === current }, n)),
    );
  }
  draw();
  return {
    select,
    get: () => select.value || null,
    set(v) {
      current = v ?? null;
      draw();
    },
    setQuestions(list) {
      current = select.value || current;
      questions = list ?? [];
      draw();
    },
  };
}

/** `compliance`: which law, who the leads are, the refusal and opt-out questions, a contact cap. */
function complianceEditor(s) {
  const f = (k) => `${s.field}.${k}`;
  const choice = h('select', { dataset: { field: f('rules') } });
  for (const [v, text] of RULE_CHOICES) choice.append(h('option', { value: v }, text));
  const jurisdictions = h('input', {
    type: 'text',
    spellcheck: 'false',
    placeholder: 'FR, ES',
    dataset: { field: f('rules') },
  });
  const jurisdictionField = sub(
    t('Jurisdictions (comma-separated, e.g. FR, ES, US-CA)'),
    jurisdictions,
  );
  const contactType = h(
    'select',
    { dataset: { field: f('contact_type') } },
    h('option', { value: 'consumer' }, t('Consumers (consent needed where the law asks)')),
    h('option', { value: 'business' }, t('Businesses')),
  );
  const refusal = questionSelect(f('refusal_question'));
  const optOut = questionSelect(f('opt_out_question'));
  const capOn = checkbox(
    t('Cap the attempts to one number (all campaigns counted)'),
    f('max_contacts'),
  );
  const capCount = numberInput(f('max_contacts.count'), { min: 1, max: 100 });
  const capDays = numberInput(f('max_contacts.days'), { min: 1, max: 365 });
  const cap = h(
    'div',
    { class: 'two' },
    sub(t('Attempts at most'), capCount),
    sub(t('Within (days)'), capDays),
  );
  const holidays = checkbox(
    t('Also block regional holidays a number cannot place (e.g. Alsace-Moselle)'),
    f('conservative_holidays'),
  );
  const show = () => {
    jurisdictionField.hidden = choice.value !== 'list';
    cap.hidden = !capOn.box.checked;
  };
  choice.addEventListener('change', show);
  capOn.box.addEventListener('change', () => {
    if (capOn.box.checked && !capCount.value) {
      capCount.value = '2';
      capDays.value = '30';
    }
    show();
  });
  const el = group(
    s,
    sub(t('Law applied'), choice),
    jurisdictionField,
    sub(t('Leads are'), contactType),
    h(
      'div',
      { class: 'two' },
      sub(t('Question that records a refusal (yes/no)'), refusal.select),
      sub(t('Question that records an opt-out (yes/no)'), optOut.select),
    ),
    capOn.el,
    cap,
    holidays.el,
  );
  return {
    el,
    control: el,
    legend: true,
    setQuestions(list) {
      refusal.setQuestions(list);
      optOut.setQuestions(list);
    },
    get() {
      const rules =
        choice.value === 'list'
          ? jurisdictions.value
              .split(/[,;\s]+/)
              .map((x) => x.trim().toUpperCase())
              .filter(Boolean)
          : choice.value;
      return {
        rules,
        contact_type: contactType.value,
        refusal_question: refusal.get(),
        opt_out_question: optOut.get(),
        max_contacts: capOn.box.checked
          ? {
              count: numberOf(capCount, f('max_contacts.count'), false),
              days: numberOf(capDays, f('max_contacts.days'), false),
            }
          : null,
        conservative_holidays: holidays.box.checked,
      };
    },
    set(v) {
      const c = v ?? {};
      choice.value = Array.isArray(c.rules) ? 'list' : (c.rules ?? 'auto');
      jurisdictions.value = Array.isArray(c.rules) ? c.rules.join(', ') : '';
      contactType.value = c.contact_type ?? 'consumer';
      refusal.set(c.refusal_question);
      optOut.set(c.opt_out_question);
      capOn.box.checked = Boolean(c.max_contacts);
      capCount.value = c.max_contacts ? String(c.max_contacts.count) : '';
      capDays.value = c.max_contacts ? String(c.max_contacts.days) : '';
      holidays.box.checked = c.conservative_holidays !== false;
      show();
    },
  };
}

/** `qualification`: the rules as rows, the agent's questions offered in the question boxes. */
function qualificationSetting(s) {
  const list = h('datalist', { id: uid('questions') });
  const rules = qualificationEditor(list.id);
  const el = group(s, list, rules.el);
  return {
    el,
    control: el,
    legend: true,
    get: rules.get,
    set: rules.set,
    setQuestions(questions) {
      list.replaceChildren(
        ...(questions ?? []).map((q) => h('option', { value: q.name }, q.description ?? q.type)),
      );
    },
  };
}

export const EDITORS = {
  text: (s) => textEditor(s, 'text'),
  url: (s) => textEditor(s, 'url'),
  datetime: datetimeEditor,
  list(s) {
    const e = textEditor(s, 'text');
    return {
      ...e,
      get: () =>
        e.control.value
          .split(/[,;\s]+/)
          .map((x) => x.trim())
          .filter(Boolean),
      set: (v) => (e.control.value = (v ?? []).join(', ')),
    };
  },
  int: (s) => numberEditor(s, true),
  number: (s) => numberEditor(s, false),
  days: (s) =>
    checkboxes(
      s,
      WEEKDAYS.map((d) => [d, WEEKDAY_LABELS[d]]),
    ),
  choices: (s) =>
    checkboxes(
      s,
      s.options.map(([v, pair]) => [v, label(pair)]),
    ),
  hours(s) {
    const e = textEditor(s, 'text', '10:00-13:00, 14:00-20:00');
    return {
      ...e,
      get() {
        const parts = e.control.value.split(/[,;]/).map((p) => p.trim());
        return parts.filter(Boolean).map((p) => {
          const m = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/.exec(p);
          if (!m) throw invalid(s.field, t('write each interval as 10:00-13:00'));
          return { start: m[1].padStart(5, '0'), end: m[2].padStart(5, '0') };
        });
      },
      set: (v) => (e.control.value = (v ?? []).map((i) => `${i.start}-${i.end}`).join(', ')),
    };
  },
  json(s) {
    const control = h('textarea', { rows: '4', spellcheck: 'false', dataset: { field: s.field } });
    return {
      el: control,
      control,
      get() {
        const text = control.value.trim();
        if (text === '') return s.nullable ? null : {};
        try {
          return JSON.parse(text);
        } catch {
          throw invalid(s.field, t('is not valid JSON'));
        }
      },
      set: (v) => (control.value = v == null ? '' : JSON.stringify(v, null, 2)),
    };
  },
  outcomeRules: outcomeRulesEditor,
  statusRules: statusRulesEditor,
  breaker: breakerEditor,
  compliance: complianceEditor,
  qualification: qualificationSetting,
};
