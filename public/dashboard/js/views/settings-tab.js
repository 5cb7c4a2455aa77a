import { can } from '../access.js';
import { api } from '../api.js';
import { errorBox, h, replace, uid } from '../dom.js';
import { dateTime, WEEKDAY_LABELS, WEEKDAYS } from '../format.js';
import { lang, t } from '../i18n.js';
import { SETTINGS } from './settings-fields.js';
import { scheduleCard } from './schedule-card.js';
import { testCallCard } from './test-call-card.js';

const label = (pair) => (lang === 'fr' ? pair[1] : pair[0]);

function read(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function write(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}

/** A problem found before sending, shaped as the API's 400 so it shows in the same place. */
function invalid(field, message) {
  return Object.assign(new Error(`${field}: ${message}`), { details: [{ field, message }] });
}

/** One editor per type: `{ el, get(), set(value) }`; `get` throws `invalid` on a bad entry. */
const EDITORS = {
  text: (s) => textEditor(s, 'text'),
  url: (s) => textEditor(s, 'url'),
  datetime: (s) => textEditor(s, 'text', '2026-12-31T20:00:00+01:00'),
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
  days(s) {
    return checkboxes(
      s,
      WEEKDAYS.map((d) => [d, WEEKDAY_LABELS[d]]),
    );
  },
  choices(s) {
    return checkboxes(
      s,
      s.options.map(([v, pair]) => [v, label(pair)]),
    );
  },
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
};

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

function numberEditor(s, whole) {
  const control = h('input', {
    type: 'number',
    step: whole ? '1' : 'any',
    inputmode: whole ? 'numeric' : 'decimal',
    dataset: { field: s.field },
  });
  return {
    el: control,
    control,
    get() {
      if (control.value.trim() === '') {
        if (s.nullable) return null;
        throw invalid(s.field, t('is required'));
      }
      return Number(control.value);
    },
    set: (v) => (control.value = v == null ? '' : String(v)),
  };
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
    get: () => boxes.filter((b) => b.box.checked).map((b) => b.value),
    set: (v) => boxes.forEach((b) => (b.box.checked = (v ?? []).includes(b.value))),
  };
}

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
  const rows = SETTINGS.map((s) => {
    const editor = EDITORS[s.type](s);
    const id = uid('set');
    const problem = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const labelEl =
      s.type === 'days' || s.type === 'choices'
        ? h('span', { class: 'label', id }, label(s.label))
        : h('label', { for: id }, label(s.label));
    if (s.type === 'days' || s.type === 'choices') editor.el.setAttribute('aria-labelledby', id);
    else editor.control.id = id;
    editor.control.setAttribute('aria-describedby', problem.id);
    return {
      setting: s,
      editor,
      problem,
      el: h('div', { class: 'field', dataset: { setting: s.field } }, labelEl, editor.el, problem),
    };
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('Save settings'));
  const form = h(
    'form',
    { class: 'settings-form', novalidate: true },
    rows.map((r) => r.el),
    errors.el,
    h('div', { class: 'actions' }, submit, saved),
  );
  const schedule = scheduleCard(campaignId, onSaved);
  const info = h('dl', { class: 'settings' });
  // A key that may not PATCH reads the settings: the same form, every control disabled.
  const editable = can('PATCH', '/campaigns/{id}');
  if (!editable) {
    for (const control of form.querySelectorAll('input, select, textarea, button'))
      control.disabled = true;
    submit.hidden = true;
  }
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
    const row = rows.find((r) => r.el.contains(event.target));
    if (row) showProblem(row, null);
  });

  function showProblem(row, message) {
    row.problem.textContent = message ?? '';
    row.problem.hidden = !message;
    if (message) row.editor.control.setAttribute('aria-invalid', 'true');
    else row.editor.control.removeAttribute('aria-invalid');
  }

  /** Each detail under the setting it names (`retry.max_attempts`, `calling_window.hours[0].end`). */
  function showDetails(details) {
    const left = [];
    for (const d of details ?? []) {
      const row = rows.find(
        (r) =>
          d.field === r.setting.field ||
          d.field?.startsWith(`${r.setting.field}.`) ||
          d.field?.startsWith(`${r.setting.field}[`),
      );
      if (row) showProblem(row, d.message);
      else left.push(d);
    }
    return left;
  }

  function fill(c) {
    for (const r of rows) r.editor.set(read(c, r.setting.field));
    dirty = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    saved.textContent = '';
    for (const r of rows) showProblem(r, null);
    const body = {};
    try {
      for (const r of rows) {
        const value = r.editor.get();
        if (JSON.stringify(value) !== JSON.stringify(read(campaign, r.setting.field) ?? null))
          write(body, r.setting.field, value);
      }
    } catch (problem) {
      showDetails(problem.details);
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
      const left = showDetails(error.details);
      errors.show({ ...error, details: left.length > 0 ? left : error.details });
    } finally {
      submit.disabled = false;
    }
  });

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
      drawInfo(c);
      schedule.update(c);
    },
  };
}
