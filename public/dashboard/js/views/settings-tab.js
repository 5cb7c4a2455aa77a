import { h, replace } from '../dom.js';
import { dateTime, num, WEEKDAY_LABELS, WEEKDAYS } from '../format.js';

const OPERATOR_WORDS = { equals: 'equals', in: 'is one of', gte: 'is at least', lte: 'is at most' };

function ruleText(rule) {
  for (const [key, words] of Object.entries(OPERATOR_WORDS)) {
    if (rule[key] !== undefined)
      return `${rule.question} ${words} ${Array.isArray(rule[key]) ? rule[key].map(String).join(', ') : String(rule[key])}`;
  }
  return rule.question;
}

function windowText(w) {
  const days = WEEKDAYS.filter((d) => w?.days?.includes(d)).map((d) => WEEKDAY_LABELS[d]);
  const hours = (w?.hours ?? []).map((i) => `${i.start}–${i.end}`);
  return `${days.length === 7 ? 'Every day' : days.join(', ')}, ${hours.join(' and ')} (each lead’s local time)`;
}

function item(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

function questionText(q) {
  const name = q?.name ?? '?';
  const type = q?.type ? ` (${q.type.replaceAll('_', ' ')})` : '';
  return `${name}${type}${q?.description ? ` — ${q.description}` : ''}`;
}

/** The campaign's settings as read from the API. */
export function settingsTab() {
  const list = h('dl', { class: 'settings' });
  const el = h('div', { class: 'card' }, h('h2', {}, 'Settings'), list);
  return {
    el,
    update(c) {
      const q = c.qualification;
      const vars = Object.entries(c.variables ?? {});
      replace(
        list,
        item('Agent ID', h('code', {}, c.agent_id)),
        item('Caller numbers', c.from_numbers.join(', ')),
        item('Time zone', c.timezone),
        item(
          'Default country',
          c.default_country ?? 'None (numbers must carry their country code)',
        ),
        item('Calling window', windowText(c.calling_window)),
        item('Calls at once (max)', num(c.max_concurrent_calls)),
        item('Call starts per minute (max)', num(c.max_calls_per_minute)),
        item(
          'Retries',
          `Up to ${num(c.retry?.max_attempts)} attempts, ${num(c.retry?.delay_minutes)} min apart, after a call that was ${c.retry?.on?.length ? c.retry.on.join(' or ') : '— (never retried)'}`,
        ),
        item(
          'Schedule',
          c.schedule ? `${c.schedule.cron} (${c.timezone})` : 'Runs only when started by hand',
        ),
        item('Next scheduled run', dateTime(c.next_run_at)),
        item(
          'Qualification',
          q?.rules?.length
            ? `${q.match === 'any' ? 'Any one of' : 'Every one of'}: ${q.rules.map(ruleText).join('; ')}`
            : 'No rules: no lead is marked qualified',
        ),
        item(
          'Agent’s post-call questions',
          Array.isArray(c.questions) && c.questions.length > 0
            ? h(
                'ul',
                {},
                c.questions.map((x) => h('li', {}, questionText(x))),
              )
            : 'Not fetched yet',
        ),
        item(
          'Campaign variables',
          vars.length > 0 ? vars.map(([k, v]) => `${k} = ${v}`).join(', ') : 'None',
        ),
        item('Webhook', c.webhook_url ?? 'None'),
        item('Created', dateTime(c.created_at)),
        item('Started', dateTime(c.started_at)),
        item('Finished', dateTime(c.completed_at)),
      );
    },
  };
}
