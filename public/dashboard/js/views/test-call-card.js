import { api } from '../api.js';
import { errorBox, field, h, replace } from '../dom.js';
import { dateTime, duration } from '../format.js';
import { t } from '../i18n.js';

/**
 * One real call with the campaign's agent to your own phone, before the batch goes out (never
 * counted in the campaign), and the test calls made so far with their status and answers.
 */
export function testCallCard(campaignId) {
  const base = `/campaigns/${encodeURIComponent(campaignId)}`;
  const errors = errorBox();
  const phone = h('input', {
    type: 'tel',
    name: 'test_to_number',
    placeholder: '+33612345678',
    autocomplete: 'tel',
  });
  const variables = h('textarea', {
    name: 'test_variables',
    rows: '2',
    placeholder: '{"prenom": "Camille"}',
    spellcheck: 'false',
  });
  const send = h('button', { type: 'submit', class: 'primary' }, t('Call this number'));
  const list = h('div', { class: 'test-calls' });
  const form = h(
    'form',
    { novalidate: true },
    field(t('Your phone number'), phone),
    field(t('Variables for this call (JSON, optional)'), variables),
    errors.el,
    h('div', { class: 'actions' }, send),
  );

  async function load() {
    try {
      const answer = await api('GET', `${base}/test-calls`);
      replace(
        list,
        answer.data.length === 0
          ? h('p', { class: 'muted' }, t('No test call yet.'))
          : h(
              'ul',
              { class: 'plain' },
              answer.data.map((c) =>
                h(
                  'li',
                  { class: 'test-call' },
                  h('strong', {}, c.to_number),
                  ` · ${c.status} · ${dateTime(c.created_at)}`,
                  c.duration_seconds != null ? ` · ${duration(c.duration_seconds)}` : null,
                  c.error ? h('span', { class: 'field-error' }, ` · ${c.error}`) : null,
                  c.answers
                    ? h(
                        'div',
                        { class: 'muted' },
                        Object.entries(c.answers)
                          .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
                          .join(' · '),
                      )
                    : null,
                ),
              ),
            ),
      );
    } catch (error) {
      replace(list, h('p', { class: 'field-error' }, error.message));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const body = { to_number: phone.value.trim() };
    if (variables.value.trim()) {
      try {
        body.variables = JSON.parse(variables.value);
      } catch {
        errors.show({ message: `variables: ${t('is not valid JSON')}` });
        return;
      }
    }
    send.disabled = true;
    try {
      await api('POST', `${base}/test-call`, { body });
      await load();
    } catch (error) {
      errors.show(error);
    } finally {
      send.disabled = false;
    }
  });

  void load();
  const el = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('Test call')),
    h(
      'p',
      { class: 'muted' },
      t(
        'Places one real call with this campaign’s agent to your own phone. Not counted in the campaign; the do-not-call list and the calling window apply.',
      ),
    ),
    form,
    list,
  );
  return { el, refresh: load };
}
