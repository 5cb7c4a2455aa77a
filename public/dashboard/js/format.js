import { locale, t } from './i18n.js';

/** Numbers, dates and labels as people read them, in the chosen language's locale. */

const numberFormat = new Intl.NumberFormat(locale);
const percentFormat = new Intl.NumberFormat(locale, {
  style: 'percent',
  maximumFractionDigits: 1,
});
const moneyFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
/** The browser's own zone, named after every time shown in it. */
export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const zoneFormats = new Map();

function formatIn(zone) {
  if (!zoneFormats.has(zone)) {
    let format;
    try {
      format = new Intl.DateTimeFormat(locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: zone,
      });
    } catch {
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    }
    zoneFormats.set(zone, format);
  }
  return zoneFormats.get(zone);
}

export const num = (n) =>
  typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—';
export const money = (n) =>
  typeof n === 'number' && Number.isFinite(n) ? moneyFormat.format(n) : '—';
export const pct = (ratio) =>
  typeof ratio === 'number' && Number.isFinite(ratio) ? percentFormat.format(ratio) : '—';
/** A time in `zone` (default: the browser's), always followed by the zone's name. */
export const dateTime = (iso, zone = BROWSER_ZONE) =>
  iso ? `${formatIn(zone).format(new Date(iso))} (${zone})` : '—';

export function duration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${num(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${num(m)} min ${s % 60} s`;
  return `${num(Math.floor(m / 60))} h ${m % 60} min`;
}

export function bytes(n) {
  const one = (x) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(x);
  if (n < 1024) return `${num(n)} ${t('B')}`;
  if (n < 1024 * 1024) return `${one(n / 1024)} ${t('KB')}`;
  return `${one(n / 1024 / 1024)} ${t('MB')}`;
}

export const CAMPAIGN_STATUS_LABELS = {
  draft: t('Draft'),
  scheduled: t('Scheduled'),
  running: t('Running'),
  paused: t('Paused'),
  completed: t('Completed'),
  cancelled: t('Cancelled'),
};

export const LEAD_STATUS_LABELS = {
  pending: t('Pending'),
  calling: t('Calling'),
  retry_scheduled: t('Retry scheduled'),
  completed: t('Completed'),
  failed: t('Failed'),
  exhausted: t('Exhausted'),
  suppressed: t('Suppressed'),
  cancelled: t('Cancelled'),
  expired: t('Expired'),
  ineligible: t('Ineligible'),
};

/** The key roles (src/auth/roles.ts), as the header names them. */
export const ROLE_LABELS = {
  admin: t('Administrator'),
  manager: t('Manager'),
  viewer: t('Viewer'),
  compliance: t('Compliance'),
};

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAY_LABELS = {
  mon: t('Mon'),
  tue: t('Tue'),
  wed: t('Wed'),
  thu: t('Thu'),
  fri: t('Fri'),
  sat: t('Sat'),
  sun: t('Sun'),
};
