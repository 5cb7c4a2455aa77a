/* global document, fetch, sessionStorage, location, XMLHttpRequest, FormData, Blob */
/**
 * Every call to the /v1 API, with the key typed once and kept for this browser tab only
 * (sessionStorage: closing the tab forgets it).
 */

import { t } from './i18n.js';

const KEY_ITEM = 'callrounded.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_ITEM),
  set: (key) => sessionStorage.setItem(KEY_ITEM, key),
  clear: () => sessionStorage.removeItem(KEY_ITEM),
};

/** An answer that is not a success, with the API's own words (`message`, `details`). */
export class ApiError extends Error {
  constructor(status, message, details) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

let unauthorized = () => {};
/** Called when the key is refused (401): the page then asks for it again. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

const UNREACHABLE = t('Could not reach the service. Check your connection, then try again.');

function url(path, query) {
  const u = new URL(`/v1${path}`, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '')
      u.searchParams.set(name, String(value));
  }
  return u;
}

function headers(extra) {
  return { 'X-Api-Key': apiKey.get() ?? '', ...extra };
}

function errorFrom(status, statusText, body) {
  const message =
    typeof body?.message === 'string' && body.message
      ? body.message
      : t('The service answered {status}.', {
          status: `${status}${statusText ? ` ${statusText}` : ''}`,
        });
  return new ApiError(status, message, Array.isArray(body?.details) ? body.details : undefined);
}

function parse(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

async function send(path, init, query) {
  let res;
  try {
    res = await fetch(url(path, query), init);
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, UNREACHABLE);
  }
  if (res.ok) return res;
  const error = errorFrom(res.status, res.statusText, parse(await res.text().catch(() => '')));
  if (res.status === 401) unauthorized(error);
  throw error;
}

/** A JSON request: `api('GET', '/campaigns', { query: { limit: 50 } })`. */
export async function api(method, path, { body, query, signal } = {}) {
  const init = {
    method,
    signal,
    headers: headers(
      body === undefined
        ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
    ),
    body: body === undefined ? undefined : JSON.stringify(body),
  };
  const res = await send(path, init, query);
  return res.status === 204 ? null : parse(await res.text());
}

/** The file name the server chose (RFC 6266: `filename*` first), else the fallback. */
function fileName(disposition, fallback) {
  const utf8 = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1].trim());
    } catch {
      /* a malformed name: use the plain one */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition ?? '');
  return plain ? plain[1].trim() : fallback;
}

/**
 * Downloads a file that needs the key: a link cannot send a header, so the file is fetched,
 * then saved from an object URL.
 */
export async function download(path, query, fallbackName) {
  const res = await send(path, { headers: headers() }, query);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName(res.headers.get('Content-Disposition'), fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; keep the URL a little for slow ones.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return link.download;
}

/**
 * Uploads a file as multipart field `file`. XMLHttpRequest rather than fetch: it reports upload
 * progress, which matters for files of tens of megabytes.
 */
export function upload(path, file, query, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path, query));
    xhr.setRequestHeader('X-Api-Key', apiKey.get() ?? '');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const error = errorFrom(xhr.status, xhr.statusText, body);
      if (xhr.status === 401) unauthorized(error);
      reject(error);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, UNREACHABLE)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, t('The upload was stopped.'))));
    const form = new FormData();
    form.append('file', file instanceof Blob ? file : new Blob([file]), file.name ?? 'leads.csv');
    xhr.send(form);
  });
}

/** GET /health, which needs no key: tells whether calls are real or simulated. */
export async function health() {
  try {
    const res = await fetch('/health', { headers: { Accept: 'application/json' } });
    return parse(await res.text());
  } catch {
    return null;
  }
}

/** Tries a key on `/me` (open to every role) without keeping it: throws ApiError when refused. */
export async function checkKey(key) {
  let res;
  try {
    res = await fetch(url('/me'), {
      headers: { 'X-Api-Key': key, Accept: 'application/json' },
    });
  } catch {
    throw new ApiError(0, UNREACHABLE);
  }
  if (!res.ok) throw errorFrom(res.status, res.statusText, parse(await res.text().catch(() => '')));
}
