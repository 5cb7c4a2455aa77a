import { h, uid } from '../dom.js';
import { num } from '../format.js';
import { t } from '../i18n.js';

/** What each column is used for (`role` of the preview), in words. */
const ROLES = {
  phone: t('phone number'),
  phone_fallback: t('phone number when the first is empty'),
  timezone: t('time zone'),
  variable: t('variable'),
  dropped: t('not sent'),
  ignored: t('no header: not read'),
};

/**
 * What a `?dry_run=true` import answered, before anything is stored: the phone column and why,
 * each column with the variable it becomes (editable: rename, or empty to drop it) and samples,
 * the agent's variables no column supplies, and the first leads as they will be sent.
 * `onApply(mapping, phoneColumn)` previews again; `onImport(mapping, phoneColumn)` imports.
 */
export function importPreview(fileName, answer, { onApply, onImport, onCancel }) {
  const p = answer.preview;
  const phoneSelect = h(
    'select',
    { id: uid('phone'), name: 'preview_phone_column' },
    p.header.map((name) => h('option', { value: name, selected: name === p.phone_column }, name)),
  );
  const edits = p.columns.map((c) => {
    const input = h('input', {
      type: 'text',
      value: c.variable ?? '',
      placeholder: t('(dropped)'),
      'aria-label': t('Variable for column {header}', { header: c.header }),
      dataset: { header: c.header },
    });
    return { column: c, input };
  });

  /** Sent only when the user picked another column than the one the service chose. */
  const chosenPhone = () => (phoneSelect.value === p.phone_column ? undefined : phoneSelect.value);

  function mapping() {
    const m = {};
    for (const { column, input } of edits) {
      if (column.header === phoneSelect.value) continue;
      const wanted = input.value.trim() || null;
      if (wanted !== (column.variable ?? null)) m[column.header] = wanted;
    }
    return m;
  }

  const columnRows = edits.map(({ column, input }) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, column.header),
      h('td', {}, column.header === p.phone_column ? t('phone number') : input),
      h('td', {}, ROLES[column.role] ?? column.role),
      h('td', { class: 'samples' }, column.samples.join(' · ') || '—'),
    ),
  );

  const leadRows = p.leads.map((l) =>
    h(
      'tr',
      {},
      h('td', { class: 'num' }, l.row),
      h('td', {}, h('span', { class: 'phone' }, l.to_number)),
      h(
        'td',
        { class: 'vars' },
        Object.entries(l.dynamic_variables_values ?? {})
          .map(([k, v]) => `${k} = ${v}`)
          .join(' · '),
      ),
    ),
  );

  const region = (label, table) =>
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);

  return h(
    'section',
    { class: 'card import-preview', 'aria-labelledby': 'preview-title' },
    h(
      'h2',
      { id: 'preview-title' },
      t('Preview of {file}: nothing imported yet', { file: fileName }),
    ),
    h(
      'p',
      {},
      t(
        '{rows} rows: {accepted} leads would be added, {rejected} rejected, {duplicates} duplicates.',
        {
          rows: num(answer.rows),
          accepted: num(answer.accepted),
          rejected: num(answer.rejected),
          duplicates: num(answer.duplicates),
        },
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: phoneSelect.id }, t('Phone column')),
      phoneSelect,
      h('p', { class: 'hint', id: 'phone-reason' }, `${t('Why')}: ${p.phone_column_reason}`),
    ),
    h('h3', {}, t('Columns and the variables they become')),
    region(
      t('Columns and the variables they become'),
      h(
        'table',
        { class: 'table preview-columns' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('Column')),
            h('th', { scope: 'col' }, t('Variable')),
            h('th', { scope: 'col' }, t('Role')),
            h('th', { scope: 'col' }, t('Samples')),
          ),
        ),
        h('tbody', {}, columnRows),
      ),
    ),
    p.missing_variables?.length
      ? h(
          'div',
          { class: 'warning-box', role: 'note' },
          h('p', {}, h('strong', {}, t('Missing variables: ')), p.missing_variables.join(', ')),
        )
      : null,
    h('h3', {}, t('The first leads, as they will be sent')),
    region(
      t('The first leads, as they will be sent'),
      h(
        'table',
        { class: 'table preview-leads' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'num' }, t('Row')),
            h('th', { scope: 'col' }, t('Phone')),
            h('th', { scope: 'col' }, t('Variables')),
          ),
        ),
        h('tbody', {}, leadRows),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'primary', onclick: () => onImport(mapping(), chosenPhone()) },
        t('Import these leads'),
      ),
      h(
        'button',
        { type: 'button', onclick: () => onApply(mapping(), chosenPhone()) },
        t('Preview again with these changes'),
      ),
      h('button', { type: 'button', onclick: onCancel }, t('Choose another file')),
    ),
  );
}
