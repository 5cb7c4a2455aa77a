/* global document, window */
import { can, currentKey, forgetAccess, loadAccess } from './access.js';
import { apiKey, health, onUnauthorized } from './api.js';
import { emptyState, h, replace } from './dom.js';
import { ROLE_LABELS } from './format.js';
import { lang, LANGUAGES, setLang, t } from './i18n.js';
import { campaignForm } from './views/campaign-form.js';
import { campaignList } from './views/campaign-list.js';
import { campaignPage } from './views/campaign-page.js';
import { doNotCallPage } from './views/do-not-call-page.js';
import { keyView } from './views/key-view.js';

/**
 * A single page with hash routes, so the server only ever serves /app:
 *   #/                         campaigns
 *   #/new                      new campaign
 *   #/campaigns/{id}/{tab}     one campaign: overview, leads, import, settings
 *   #/do-not-call              the do-not-call list
 * A view is `{ el, title, destroy?(), update?(match) }`; `update` lets a campaign switch tabs
 * without being loaded again.
 */
/** A hand-typed address may hold a broken %-escape: it then names no campaign, it does not crash. */
function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `allowed`: whether the key's role may see the page at all (see access.js). */
const ROUTES = [
  {
    name: 'list',
    pattern: /^#?\/?$/,
    allowed: () => can('GET', '/campaigns'),
    mount: () => campaignList(),
  },
  {
    name: 'new',
    pattern: /^#\/new$/,
    allowed: () => can('POST', '/campaigns'),
    mount: () => campaignForm(),
  },
  {
    name: 'dnc',
    pattern: /^#\/do-not-call$/,
    allowed: () => can('GET', '/suppressions'),
    mount: () => doNotCallPage(),
  },
  {
    name: 'campaign',
    pattern: /^#\/campaigns\/([^/]+)(?:\/(overview|leads|import|settings))?$/,
    allowed: () => can('GET', '/campaigns/{id}'),
    mount: (m) => campaignPage(decode(m[1]), m[2] ?? 'overview'),
    sameView: (view, m) => view.campaignId === decode(m[1]),
  },
];
const NAV = { '#/': 'list', '#/new': 'new', '#/do-not-call': 'dnc' };

const main = document.getElementById('main');
const signOut = document.getElementById('sign-out');
const roleBadge = document.getElementById('role-badge');
let current; // { route, view }

function notFound() {
  return {
    title: t('Page not found'),
    el: h(
      'section',
      {},
      h('h1', { tabindex: '-1' }, t('Page not found')),
      emptyState(
        t('There is no page at this address.'),
        null,
        h('a', { href: '#/', class: 'button' }, t('Back to campaigns')),
      ),
    ),
  };
}

function notAllowed() {
  const role = currentKey()?.role ?? '';
  return {
    title: t('Not for this key'),
    el: h(
      'section',
      {},
      h('h1', { tabindex: '-1' }, t('Not for this key')),
      emptyState(
        t('A {role} key may not open this page.', { role: ROLE_LABELS[role] ?? role }),
        t('Ask an administrator for a key with another role.'),
      ),
    ),
  };
}

/** Only the pages the key's role may open are in the menu; a role with no campaigns starts at its own page. */
function drawNav() {
  for (const link of document.querySelectorAll('.topnav a')) {
    const route = ROUTES.find((r) => r.name === NAV[link.getAttribute('href')]);
    link.hidden = !route?.allowed();
  }
  const role = currentKey()?.role;
  roleBadge.hidden = !role;
  if (role) roleBadge.textContent = t('{role} key', { role: ROLE_LABELS[role] ?? role });
}

function show(view, route, focus) {
  current?.view.destroy?.();
  current = { route, view };
  replace(main, view.el);
  document.title = `${view.title} · ${t('CallRounded campaigns')}`;
  if (focus) (main.querySelector('h1') ?? main).focus({ preventScroll: false });
}

function render({ focus = true } = {}) {
  const hash = window.location.hash || '#/';
  if (!hash.startsWith('#/') && hash !== '#') return; // an in-page anchor, not a route
  highlightNav(hash);
  if (!apiKey.get()) {
    signOut.hidden = true;
    show(
      keyView(() => render()),
      null,
      focus,
    );
    return;
  }
  signOut.hidden = false;
  if (!currentKey()) {
    loadAccess().then(
      () => render({ focus }),
      (error) => {
        if (error.status === 401) return; // onUnauthorized asks for the key again
        const title = t('The key could not be checked');
        show({ title, el: h('section', {}, emptyState(title, error.message)) }, null, focus);
      },
    );
    return;
  }
  drawNav();
  for (const route of ROUTES) {
    const match = route.pattern.exec(hash);
    if (!match) continue;
    if (!route.allowed()) {
      if (route.name === 'list' && can('GET', '/suppressions')) {
        window.location.replace('#/do-not-call');
        return;
      }
      show(notAllowed(), null, focus);
      return;
    }
    if (current?.route === route && route.sameView?.(current.view, match)) {
      current.view.update?.(match);
      document.title = `${current.view.title} · ${t('CallRounded campaigns')}`;
      return;
    }
    show(route.mount(match), route, focus);
    return;
  }
  show(notFound(), null, focus);
}

function highlightNav(hash) {
  for (const link of document.querySelectorAll('.topnav a')) {
    const active = link.getAttribute('href') === (hash === '#' ? '#/' : hash);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

onUnauthorized((error) => {
  apiKey.clear();
  forgetAccess();
  roleBadge.hidden = true;
  current?.view.destroy?.();
  current = undefined;
  signOut.hidden = true;
  show(
    keyView(() => render(), error.message),
    null,
    true,
  );
});

signOut.addEventListener('click', () => {
  apiKey.clear();
  forgetAccess();
  roleBadge.hidden = true;
  current?.view.destroy?.();
  current = undefined;
  render();
});

window.addEventListener('hashchange', () => render());

health().then((answer) => {
  if (answer?.platform?.mode !== 'simulation') return;
  const badge = document.getElementById('mode-badge');
  badge.textContent = t('Simulation mode: no real calls');
  badge.title = t('CALLROUNDED_API_KEY is not set: calls go to the built-in simulator.');
  badge.hidden = false;
});

/** The page's fixed texts in the chosen language, and the language menu. */
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
document.querySelector('.brand span').textContent = t('campaigns');
document.querySelector('.topnav').setAttribute('aria-label', t('Main'));
const langSwitch = document.getElementById('lang-switch');
replace(
  langSwitch,
  LANGUAGES.map(([code, name]) =>
    h('option', { value: code, selected: code === lang, lang: code }, name),
  ),
);
langSwitch.addEventListener('change', () => setLang(langSwitch.value));

render({ focus: false });
