import { download, upload } from '../api.js';
import { emptyState, errorBox, field, h, replace, uid } from '../dom.js';
import { bytes, num } from '../format.js';
import { t } from '../i18n.js';
import { importPreview } from './import-preview.js';

/** The last import answer per campaign, so that switching tabs does not lose it. */
const lastResults = new Map();

const DELIMITERS = [
  ['', t('Detect')],
  ['comma', t('Comma ,')],
  ['semicolon', t('Semicolon ;')],
  ['tab', t('Tab')],
  ['pipe', t('Pipe |')],
];

function count(label, value, kind) {
  return h(
    'div',
    { class: ['stat', kind && `stat-${kind}`] },
    h('span', { class: 'stat-value' }, num(value)),
    h('span', { class: 'stat-label' }, label),
  );
}

function resultView(campaignId, fileName, r) {
  const errors = r.errors ?? [];
  const total = r.error_count ?? errors.length;
  const delimiterName =
    { ',': t('comma'), ';': t('semicolon'), '\t': t('tab'), '|': t('pipe') }[r.delimiter] ??
    r.delimiter;
  return h(
    'section',
    { class: 'card import-result', 'aria-labelledby': 'import-result-title' },
    h('h2', { id: 'import-result-title' }, t('Import of {file}', { file: fileName })),
    h(
      'div',
      { class: 'stats' },
      count(t('Rows read'), r.rows),
      count(t('Added'), r.accepted, 'good'),
      count(t('Rejected'), r.rejected, r.rejected > 0 ? 'bad' : undefined),
      count(t('Duplicates'), r.duplicates),
      count(t('Suppressed (do not call)'), r.suppressed),
      count(t('Blank rows'), r.blank_rows ?? 0),
    ),
    h(
      'p',
      { class: 'muted' },
      t('Read with phone column “{column}”, {delimiter} delimiter, {encoding} encoding.', {
        column: r.phone_column,
        delimiter: delimiterName,
        encoding: r.encoding,
      }),
    ),
    r.missing_variables?.length
      ? h(
          'div',
          { class: 'warning-box', role: 'note' },
          h('p', {}, h('strong', {}, t('Missing variables: ')), r.missing_variables.join(', ')),
          h(
            'p',
            {},
            t(
              'The agent uses these variables but no column of the file and no campaign variable supplies them. Calls still happen, with these left empty.',
            ),
          ),
        )
      : null,
    r.warnings?.length
      ? h(
          'div',
          { class: 'warning-box', role: 'note' },
          h(
            'ul',
            {},
            r.warnings.map((w) => h('li', {}, w)),
          ),
        )
      : null,
    total === 0
      ? h('p', { class: 'ok-text' }, t('No row errors.'))
      : h(
          'div',
          {},
          h('h3', {}, `${t('Row errors')} (${num(total)})`),
          r.import_id
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  onclick: () =>
                    download(
                      `/campaigns/${encodeURIComponent(campaignId)}/imports/${encodeURIComponent(r.import_id)}/errors.csv`,
                      {},
                      'rejected-rows.csv',
                    ),
                },
                t('Download the rejected rows (CSV, to fix and upload again)'),
              )
            : null,
          total > errors.length
            ? h(
                'p',
                { class: 'muted' },
                t('Showing the first {shown} of {total}.', {
                  shown: num(errors.length),
                  total: num(total),
                }),
              )
            : null,
          h(
            'div',
            {
              class: 'table-wrap tall',
              tabindex: '0',
              role: 'region',
              'aria-label': t('Rows that were not imported, with the reason'),
            },
            h(
              'table',
              { class: 'table errors', id: 'row-errors' },
              h(
                'caption',
                { class: 'visually-hidden' },
                t('Rows that were not imported, with the reason'),
              ),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', { scope: 'col', class: 'num' }, t('Row')),
                  h('th', { scope: 'col' }, t('Column')),
                  h('th', { scope: 'col' }, t('Message')),
                ),
              ),
              h(
                'tbody',
                {},
                errors.map((e) =>
                  h(
                    'tr',
                    {},
                    h('td', { class: 'num' }, e.row),
                    h('td', {}, e.column),
                    h('td', {}, e.message),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

/**
 * Upload of a lead file (drag and drop or the file picker), then what the service made of it:
 * counts, row errors (row, column, message), duplicates, suppressed and missing variables.
 */
export function importTab(campaignId, onImported) {
  const errors = errorBox();
  const input = h('input', {
    type: 'file',
    id: uid('lead-file'),
    name: 'file',
    accept: '.csv,.txt,.tsv,text/csv,text/plain',
    class: 'file-input',
  });
  const status = h('p', { class: 'upload-status', 'aria-live': 'polite' });
  const zone = h(
    'div',
    { class: 'dropzone' },
    h('p', { class: 'dropzone-title' }, t('Drop a CSV file here')),
    h('p', {}, t('or')),
    input,
    h('label', { for: input.id, class: 'button primary' }, t('Choose a file…')),
    h(
      'p',
      { class: 'hint' },
      t(
        'One column holds the phone number (phone, telephone, mobile…); every other column becomes a variable of the call. Excel, CRM and Google Sheets exports are read as they are.',
      ),
    ),
    status,
  );
  const phoneColumn = h('input', {
    type: 'text',
    name: 'phone_column',
    placeholder: t('detected'),
  });
  const delimiter = h(
    'select',
    { name: 'delimiter' },
    DELIMITERS.map(([v, label]) => h('option', { value: v }, label)),
  );
  const country = h('input', {
    type: 'text',
    name: 'default_country',
    maxlength: '2',
    size: '3',
    placeholder: t('campaign’s'),
  });
  const options = h(
    'details',
    { class: 'options' },
    h('summary', {}, t('Reading options')),
    h(
      'div',
      { class: 'toolbar' },
      field(t('Phone column'), phoneColumn),
      field(t('Delimiter'), delimiter),
      field(t('Country of numbers without +code'), country),
    ),
  );
  const result = h('div', {});
  let busy = false;

  /** A dry run first: the preview, then the import with the mapping the user settled on. */
  async function send(file, { dryRun = true, mapping, phone } = {}) {
    if (busy || !file) return;
    busy = true;
    errors.clear();
    zone.classList.add('busy');
    input.disabled = true;
    status.textContent = t('Uploading {file} ({size})…', {
      file: file.name,
      size: bytes(file.size),
    });
    try {
      const answer = await upload(
        `/campaigns/${encodeURIComponent(campaignId)}/leads`,
        file,
        {
          phone_column: phone ?? phoneColumn.value.trim(),
          delimiter: delimiter.value,
          default_country: country.value.trim(),
          mapping: mapping && Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined,
          dry_run: dryRun ? 'true' : undefined,
        },
        (ratio) => {
          status.textContent =
            ratio < 1
              ? t('Uploading {file}: {percent} %', {
                  file: file.name,
                  percent: Math.round(ratio * 100),
                })
              : t('Reading {file}…', { file: file.name });
        },
      );
      if (dryRun && answer.preview) {
        status.textContent = t('{file}: preview ready, nothing imported yet.', { file: file.name });
        replace(
          result,
          importPreview(file.name, answer, {
            onApply: (m, p) => {
              busy = false;
              void send(file, { mapping: m, phone: p });
            },
            onImport: (m, p) => {
              busy = false;
              void send(file, { dryRun: false, mapping: m, phone: p });
            },
            onCancel: () => {
              status.textContent = '';
              replace(result);
              input.click();
            },
          }),
        );
        return;
      }
      lastResults.set(campaignId, { fileName: file.name, answer });
      status.textContent = t('{file}: {count} leads added.', {
        file: file.name,
        count: num(answer.accepted),
      });
      replace(result, resultView(campaignId, file.name, answer));
      onImported?.(answer);
    } catch (error) {
      status.textContent = '';
      errors.show({
        details: error.details,
        message: t('{file} was not imported: {message}', {
          file: file.name,
          message: error.message,
        }),
      });
    } finally {
      busy = false;
      input.disabled = false;
      input.value = '';
      zone.classList.remove('busy');
    }
  }

  input.addEventListener('change', () => send(input.files?.[0]));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', (e) => {
    if (!zone.contains(e.relatedTarget)) zone.classList.remove('over');
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const files = e.dataTransfer?.files;
    if (!files || files.length === 0) return;
    if (files.length > 1) {
      errors.show({ message: t('Drop one file at a time.') });
      return;
    }
    send(files[0]);
  });

  const previous = lastResults.get(campaignId);
  replace(
    result,
    previous
      ? resultView(campaignId, previous.fileName, previous.answer)
      : emptyState(
          t('No file imported in this session'),
          t('The result of an upload is shown here: counts, rejected rows and why.'),
        ),
  );

  const el = h(
    'div',
    { class: 'import' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'import-title' },
      h('h2', { id: 'import-title' }, t('Import leads')),
      errors.el,
      zone,
      options,
    ),
    result,
  );
  return { el };
}
