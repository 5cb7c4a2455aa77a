import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { money, num, pct } from '../format.js';
import { t } from '../i18n.js';

/** Why the service (or a person) paused the campaign, by `paused_reason`. */
const REASONS = {
  manual: t('Paused by hand.'),
  budget_reached: t('Paused by the service: the campaign reached its budget.'),
  failure_rate: t('Paused by the service: too many calls failed in a short time.'),
  platform_auth: t('Paused by the service: CallRounded refused the platform API key.'),
  platform_rejected: t('Paused by the service: CallRounded refused the calls.'),
  daily_cap: t('Paused by the service: the daily call limit was reached.'),
};

/** `paused_detail` may be a sentence or figures: figures are shown as “name: value”. */
function detailText(detail) {
  if (detail == null) return null;
  if (typeof detail !== 'object') return String(detail);
  return Object.entries(detail)
    .map(([k, v]) => {
      const shown =
        typeof v === 'number'
          ? /rate|share|ratio/.test(k)
            ? pct(v)
            : /cost|budget|spent/.test(k)
              ? money(v)
              : num(v)
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
      return `${k.replaceAll('_', ' ')}: ${shown}`;
    })
    .join(' · ');
}

/**
 * The banner of a paused campaign: the reason and figures of `paused_reason`/`paused_detail` when
 * the API gives them; otherwise the reason a lead recorded when the service paused the campaign
 * ("campaign paused: …"), so a campaign never sits paused without saying why.
 */
export function pauseNote(campaignId) {
  const el = h('div', { class: 'pause-note', role: 'status', hidden: true });
  let looked = '';

  async function fromLeads(c) {
    const key = `${c.id}:${c.updated_at ?? ''}`;
    if (looked === key) return;
    looked = key;
    try {
      const page = await api('GET', `/campaigns/${encodeURIComponent(campaignId)}/leads`, {
        query: { limit: 100 },
      });
      const lead = (page?.data ?? []).find((l) => /^campaign paused: /.test(l.status_reason ?? ''));
      if (lead) {
        replace(
          el,
          h('strong', {}, t('Paused by the service.')),
          ' ',
          lead.status_reason.replace(/^campaign paused: /, ''),
        );
      }
    } catch {
      /* the banner keeps its general words */
    }
  }

  return {
    el,
    update(c) {
      el.hidden = c.status !== 'paused';
      if (el.hidden) return;
      if (c.paused_reason !== undefined && c.paused_reason !== null) {
        const detail = detailText(c.paused_detail);
        replace(
          el,
          h('strong', {}, REASONS[c.paused_reason] ?? c.paused_reason),
          detail ? ` ${detail}` : null,
        );
        return;
      }
      if (!el.textContent) replace(el, h('strong', {}, t('Paused.')));
      void fromLeads(c);
    },
  };
}
