import { can } from '../access.js';
import { api, upload } from '../api.js';
import { emptyState, errorBox, field, h, replace } from '../dom.js';
import { dateTime, num } from '../format.js';
import { t } from '../i18n.js';
import { confirmDialog } from './confirm-dialog.js';

const PAGE = 50;

/** What an add answered, in words: added, already there, rejected (with the first errors). */
function addSummary(r) {
  const parts = [
    t('{n} added', { n: num(r.added) }),
    t('{n} already on the list', { n: num(r.already_suppressed) }),
    t('{n} rejected', { n: num(r.rejected) }),
    t('{n} waiting leads stopped', { n: num(r.leads_suppressed) }),
  ];
  const errors = (r.errors ?? []).slice(0, 5).map((e) => {
    const where =
      e.row !== undefined
        ? t('row {row}', { row: e.row })
        : e.index !== undefined
          ? `#${e.index + 1}`
          : '';
    return h('li', {}, where ? `${where}: ${e.message}` : e.message);
  });
  return [h('p', {}, parts.join(' · ')), errors.length > 0 ? h('ul', {}, errors) : null];
}

/**
 * The do-not-call list: add numbers (one, several, or a CSV file), search, remove after a
 * confirmation. Each number shows its reason, where it came from (when the API says) and when.
 */
export function doNotCallPage() {
  const errors = errorBox();
  const result = h('div', { class: 'dnc-result', role: 'status' });

  const phones = h('textarea', {
    name: 'phones',
    rows: '3',
    placeholder: '+33612345678\n06 12 34 56 79',
  });
  const reason = h('input', {
    type: 'text',
    name: 'reason',
    placeholder: t('asked not to be called'),
  });
  const country = h('input', {
    type: 'text',
    name: 'default_country',
    value: 'FR',
    maxlength: '2',
    size: '3',
  });
  const addButton = h('button', { type: 'submit', class: 'primary' }, t('Add to the list'));
  const addForm = h(
    'form',
    { class: 'card', novalidate: true },
    h('h2', {}, t('Add numbers')),
    field(t('Numbers (one per line, or separated by commas)'), phones),
    field(t('Reason'), reason),
    field(t('Country of numbers written without +'), country),
    h('div', { class: 'actions' }, addButton),
  );

  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv,text/plain' });
  const fileForm = h(
    'form',
    { class: 'card', novalidate: true },
    h('h2', {}, t('Add a CSV file')),
    field(
      t('CSV file of numbers'),
      file,
      t('Read like a lead file: the phone column is found; a “reason” column is kept.'),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Upload the file'))),
  );

  const search = h('input', { type: 'search', name: 'search', placeholder: '06 12 34' });
  const tbody = h('tbody');
  const table = h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('Numbers on the list') },
    h(
      'table',
      { class: 'table dnc' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('Number')),
          h('th', { scope: 'col' }, t('Reason')),
          h('th', { scope: 'col' }, t('Source')),
          h('th', { scope: 'col' }, t('Added')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('Actions'))),
        ),
      ),
      tbody,
    ),
  );
  const empty = h('div', {});
  const more = h('button', { type: 'button', hidden: true }, t('Show more'));
  let cursor = null;
  let asked = 0;

  function row(s) {
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'small danger-outline',
        'aria-label': t('Remove {phone} from the list', { phone: s.phone }),
      },
      t('Remove'),
    );
    remove.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: t('Take {phone} off the do-not-call list?', { phone: s.phone }),
        text: t('Campaigns may call this number again. Leads already marked suppressed stay so.'),
        confirmLabel: t('Remove from the list'),
        cancelLabel: t('Keep it'),
      });
      if (!sure) return;
      errors.clear();
      try {
        await api('DELETE', `/suppressions/${encodeURIComponent(s.phone)}`);
        replace(result, h('p', {}, t('{phone} was removed from the list.', { phone: s.phone })));
        void load();
      } catch (error) {
        errors.show(error);
      }
    });
    const source = s.source ?? s.source_detail ?? null;
    return h(
      'tr',
      {},
      h('td', {}, h('span', { class: 'phone' }, s.phone)),
      h('td', {}, s.reason ?? '—'),
      h(
        'td',
        {},
        source == null ? '—' : typeof source === 'object' ? JSON.stringify(source) : String(source),
      ),
      h('td', {}, dateTime(s.created_at)),
      h('td', {}, can('DELETE', '/suppressions/{phone}') ? remove : null),
    );
  }

  async function load(append = false) {
    const mine = ++asked;
    try {
      const page = await api('GET', '/suppressions', {
        query: { limit: PAGE, search: search.value.trim(), cursor: append ? cursor : undefined },
      });
      if (mine !== asked) return;
      if (!append) replace(tbody);
      tbody.append(...page.data.map(row));
      cursor = page.next_cursor;
      more.hidden = !cursor;
      table.hidden = tbody.children.length === 0;
      replace(
        empty,
        tbody.children.length === 0
          ? emptyState(
              search.value.trim() ? t('No number matches this search') : t('The list is empty'),
              null,
            )
          : null,
      );
    } catch (error) {
      errors.show(error);
    }
  }

  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const list = phones.value
      .split(/[\n,;]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (list.length === 0) {
      errors.show({ message: t('Type at least one number.') });
      return;
    }
    addButton.disabled = true;
    try {
      const body = { phones: list };
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (country.value.trim()) body.default_country = country.value.trim();
      const answer = await api('POST', '/suppressions', { body });
      replace(result, addSummary(answer));
      phones.value = '';
      void load();
    } catch (error) {
      errors.show(error);
    } finally {
      addButton.disabled = false;
    }
  });

  fileForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const chosen = file.files?.[0];
    if (!chosen) {
      errors.show({ message: t('Choose a CSV file first.') });
      return;
    }
    try {
      const query = { default_country: country.value.trim() || undefined };
      if (reason.value.trim()) query.reason = reason.value.trim();
      replace(result, addSummary(await upload('/suppressions', chosen, query)));
      file.value = '';
      void load();
    } catch (error) {
      errors.show(error);
    }
  });

  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(), 250);
  });
  more.addEventListener('click', () => load(true));

  const el = h(
    'section',
    { class: 'dnc-page' },
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('Do-not-call list'))),
    h(
      'p',
      { class: 'muted' },
      t('Numbers on this list are never called by any campaign, test calls included.'),
    ),
    errors.el,
    result,
    can('POST', '/suppressions') ? h('div', { class: 'two-cols' }, addForm, fileForm) : null,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('Numbers on the list')),
      field(t('Search by number or reason'), search),
      table,
      empty,
      more,
    ),
  );
  void load();
  return { title: t('Do-not-call list'), el };
}
