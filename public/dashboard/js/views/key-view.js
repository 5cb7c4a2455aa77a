import { apiKey, checkKey } from '../api.js';
import { errorBox, field, h } from '../dom.js';
import { t } from '../i18n.js';

/** Asks for the API key once per browser tab; `refusal` is why a previous key stopped working. */
export function keyView(onAccepted, refusal) {
  const input = h('input', {
    type: 'password',
    name: 'api_key',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const errors = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, t('Continue'));

  const form = h(
    'form',
    { class: 'card key-form', 'aria-labelledby': 'key-title' },
    h('h1', { id: 'key-title', tabindex: '-1' }, t('Enter your API key')),
    h(
      'p',
      {},
      t(
        'The dashboard uses the same API as your scripts. The key stays in this browser tab only and is forgotten when the tab closes.',
      ),
    ),
    errors.el,
    field(
      t('API key'),
      input,
      t(
        'Sent as the X-Api-Key header. The service printed it at first start, or it is one of API_KEYS.',
      ),
    ),
    h('div', { class: 'actions' }, submit),
  );

  if (refusal) errors.show({ message: t('{refusal} Enter a valid key to continue.', { refusal }) });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    submit.disabled = true;
    submit.textContent = t('Checking…');
    errors.clear();
    try {
      await checkKey(key);
      apiKey.set(key);
      onAccepted();
    } catch (error) {
      errors.show(
        error.status === 401
          ? { message: t('This key was refused: {message}.', { message: error.message }) }
          : error,
      );
      input.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('Continue');
    }
  });

  return { title: t('API key'), el: h('section', { class: 'narrow' }, form) };
}
