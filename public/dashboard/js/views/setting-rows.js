import { h, uid } from '../dom.js';
import { EDITORS, label } from './setting-editors.js';

export function read(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function write(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}

/** JSON with sorted keys: two settings are the same whatever order the API gave their keys in. */
function same(a, b) {
  const sorted = (v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : Array.isArray(v)
        ? v.map(sorted)
        : v;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/** Whether an API detail's field (`retry.by_status.voicemail.max_attempts`) is within `path`. */
const within = (field, path) =>
  field === path || field?.startsWith(`${path}.`) || field?.startsWith(`${path}[`);

/**
 * The rows of a form built from entries of settings-fields.js (the settings tab and the creation
 * form use the same ones): each a label, its editor and the place for the API's message.
 */
export function settingRows(settings) {
  const rows = settings.map((s) => {
    const editor = EDITORS[s.type](s);
    const id = uid('set');
    const problem = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const hint = editor.hint ? h('p', { class: 'hint', id: `${id}-hint` }, editor.hint) : null;
    let labelEl = null;
    if (editor.labelledBy) {
      labelEl = h('span', { class: 'label', id }, label(s.label));
      editor.el.setAttribute('aria-labelledby', id);
    } else if (!editor.legend) {
      labelEl = h('label', { for: id }, label(s.label));
      editor.control.id = id;
    }
    editor.control.setAttribute(
      'aria-describedby',
      [problem.id, hint?.id].filter(Boolean).join(' '),
    );
    return {
      setting: s,
      editor,
      problem,
      el: h(
        'div',
        { class: ['field', editor.legend && 'wide'], dataset: { setting: s.field } },
        labelEl,
        editor.el,
        hint,
        problem,
      ),
    };
  });

  function mark(row, message, field) {
    row.problem.textContent = message ?? '';
    row.problem.hidden = !message;
    for (const input of row.el.querySelectorAll('[aria-invalid]'))
      input.removeAttribute('aria-invalid');
    if (message) markInput(row, field);
  }

  /** The input a detail names exactly, else those within its path, else the editor. */
  function markInput(row, field) {
    const inputs = [...row.el.querySelectorAll('[data-field]')].filter(
      (i) => i.matches('input, select, textarea') && within(field, i.dataset.field),
    );
    const exact = inputs.filter((i) => i.dataset.field === field);
    for (const input of exact.length ? exact : inputs.length ? inputs : [row.editor.control])
      input.setAttribute('aria-invalid', 'true');
  }

  return {
    rows,
    els: rows.map((r) => r.el),
    fill(c) {
      for (const r of rows) r.editor.set(read(c, r.setting.field));
    },
    setQuestions(list) {
      for (const r of rows) r.editor.setQuestions?.(list);
    },
    clear(target) {
      for (const r of rows) if (!target || r.el.contains(target)) mark(r, null);
    },
    /** The request body: every value, or only those that differ from `current`. */
    body(current) {
      const out = {};
      for (const r of rows) {
        const value = r.editor.get();
        const before = current
          ? (read(current, r.setting.field) ?? r.setting.empty ?? null)
          : undefined;
        if (!current || !same(value, before)) write(out, r.setting.field, value);
      }
      return out;
    },
    /** Each detail under the setting it names; answers the details no row took. */
    showDetails(details) {
      const left = [];
      const byRow = new Map();
      for (const d of details ?? []) {
        const row = rows.find((r) => within(d.field, r.setting.field));
        if (row) byRow.set(row, [...(byRow.get(row) ?? []), d]);
        else left.push(d);
      }
      for (const [row, found] of byRow) {
        mark(row, found.map((d) => d.message).join(' · '), found[0].field);
        for (const d of found.slice(1)) markInput(row, d.field);
      }
      return left;
    },
  };
}
