/* Qualification rules as rows (question, comparison, value), shared by the creation form and
   the settings tab; the question box offers the agent's questions from a <datalist>. */
import { field, h } from '../dom.js';
import { t } from '../i18n.js';

const OPERATORS = [
  ['equals', t('equals')],
  ['in', t('is one of')],
  ['gte', t('is at least')],
  ['lte', t('is at most')],
];

/** `true`/`false` are booleans and numerals numbers, as the agent's answers are typed. */
function parseValue(text) {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

/** A list of rows with add/remove buttons (calling hours, qualification rules). */
export function rowList(makeRow, addLabel) {
  const list = h('div', { class: 'row-list' });
  const rows = [];
  function renumber() {
    rows.forEach((r, i) => r.setIndex(i));
  }
  function add(initial) {
    const row = makeRow(initial, () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      renumber();
    });
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  }
  const addButton = h(
    'button',
    { type: 'button', class: 'small', onclick: () => add().focus() },
    addLabel,
  );
  function clear() {
    rows.splice(0).forEach((r) => r.el.remove());
  }
  return { el: h('div', {}, list, addButton), rows, add, clear };
}

/** The creation form's list of the agent's questions (the settings tab makes its own). */
export const QUESTIONS_LIST_ID = 'agent-questions';

function ruleRow(listId, initial = { question: '', op: 'equals', value: '' }, remove) {
  const question = h('input', {
    type: 'text',
    list: listId,
    placeholder: 'interested',
    value: initial.question,
    required: true,
  });
  const op = h(
    'select',
    {},
    OPERATORS.map(([v, label]) => h('option', { value: v, selected: v === initial.op }, label)),
  );
  const value = h('input', {
    type: 'text',
    placeholder: 'true',
    value: initial.value,
    required: true,
  });
  const removeButton = h('button', { type: 'button', class: 'icon', onclick: remove }, '×');
  const el = h('div', { class: 'inline-row rule-row' }, question, op, value, removeButton);
  return {
    el,
    focus: () => question.focus(),
    setIndex(i) {
      question.setAttribute('aria-label', t('Rule {n}: question name', { n: i + 1 }));
      op.setAttribute('aria-label', t('Rule {n}: comparison', { n: i + 1 }));
      value.setAttribute('aria-label', t('Rule {n}: value', { n: i + 1 }));
      question.dataset.field = `qualification.rules[${i}].question`;
      value.dataset.field = `qualification.rules[${i}]`;
      removeButton.setAttribute('aria-label', t('Remove rule {n}', { n: i + 1 }));
      this.index = i;
    },
    value() {
      const rule = { question: question.value.trim() };
      const text = value.value;
      if (op.value === 'in')
        rule.in = text
          .split(',')
          .map(parseValue)
          .filter((v) => v !== '');
      else if (op.value === 'equals') rule.equals = parseValue(text);
      else {
        const n = Number(text.trim());
        if (text.trim() === '' || !Number.isFinite(n)) {
          const words = OPERATORS.find(([v]) => v === op.value)[1];
          const message = t('Rule {n}: “{words}” needs a number', { n: this.index + 1, words });
          throw Object.assign(new Error(message), {
            details: [
              { field: `qualification.rules[${this.index}]`, message: t('must be a number') },
            ],
          });
        }
        rule[op.value] = n;
      }
      return rule;
    },
  };
}

/** The stored rule back as a row's three entries. */
function rowOf(rule) {
  const op = ['equals', 'in', 'gte', 'lte'].find((k) => k in rule) ?? 'equals';
  const v = rule[op];
  return { question: rule.question, op, value: Array.isArray(v) ? v.join(', ') : String(v ?? '') };
}

/**
 * `qualification`: all/any and the rules; no rule is no qualification (null). `listId` names
 * the <datalist> of question names the question boxes offer.
 */
export function qualificationEditor(listId) {
  const match = h(
    'select',
    { name: 'match', dataset: { field: 'qualification.match' } },
    h('option', { value: 'all' }, t('every rule holds')),
    h('option', { value: 'any' }, t('any one rule holds')),
  );
  const rules = rowList((initial, remove) => ruleRow(listId, initial, remove), t('Add rule'));
  return {
    el: h('div', {}, field(t('A lead is qualified when'), match), rules.el),
    get: () =>
      rules.rows.length > 0
        ? { match: match.value, rules: rules.rows.map((r) => r.value()) }
        : null,
    set(v) {
      rules.clear();
      match.value = v?.match ?? 'all';
      for (const rule of v?.rules ?? []) rules.add(rowOf(rule));
    },
  };
}
