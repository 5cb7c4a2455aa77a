import { api } from '../api.js';
import { errorBox, h, replace } from '../dom.js';
import { dateTime, num, WEEKDAY_LABELS, WEEKDAYS } from '../format.js';
import { controlsFields } from './controls-fields.js';

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

function retryRulesText(retry) {
  const rules = [
    ...Object.entries(retry?.by_status ?? {}).map(([s, r]) => [`status ${s}`, r]),
    ...Object.entries(retry?.by_outcome ?? {}).map(([o, r]) => [o, r]),
  ];
  if (rules.length === 0) return null;
  return rules
    .map(
      ([what, r]) =>
        `${what}: up to ${num(r.max_attempts)} attempts, ${num(r.delay_minutes)} min apart`,
    )
    .join('; ');
}

function breakerText(a) {
  if (!a) return 'Off';
  return `Pause when ${Math.round(a.failure_rate * 100)} % of the calls of the last ${num(a.window_minutes)} min failed at the platform (from ${num(a.min_calls)} calls)`;
}

/**
 * The campaign controls, editable: saved with PATCH. Built from the campaign once, and again
 * after each save, so that polling never overwrites what is being typed.
 */
function controlsEditor(onSaved) {
  const errors = errorBox();
  const slot = h('div', {});
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save controls');
  const form = h('form', { class: 'controls-editor', novalidate: true }, errors.el, slot, save);
  let fields;
  let campaignId;
  function build(c) {
    campaignId = c.id;
    fields = controlsFields(c);
    replace(slot, fields.el);
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    save.disabled = true;
    try {
      const c = await api('PATCH', `/campaigns/${encodeURIComponent(campaignId)}`, {
        body: fields.value(),
      });
      build(c);
      onSaved?.(c);
    } catch (error) {
      errors.show(error);
    } finally {
      save.disabled = false;
    }
  });
  const el = h('div', { class: 'card' }, h('h2', {}, 'Controls'), form);
  return {
    el,
    update(c) {
      el.hidden = c.status === 'completed' || c.status === 'cancelled';
      if (!fields || campaignId !== c.id) build(c);
    },
  };
}

/** The campaign's settings as read from the API, and an editor of its controls. */
export function settingsTab(onSaved) {
  const list = h('dl', { class: 'settings' });
  const editor = controlsEditor(onSaved);
  const el = h('div', {}, h('div', { class: 'card' }, h('h2', {}, 'Settings'), list), editor.el);
  return {
    el,
    update(c) {
      editor.update(c);
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
        retryRulesText(c.retry) ? item('Retry rules', retryRulesText(c.retry)) : null,
        item('No call after', c.ends_at ? dateTime(c.ends_at) : 'No end date'),
        item('Calls per day (max)', c.max_calls_per_day ? num(c.max_calls_per_day) : 'No cap'),
        item('Budget (max cost)', c.max_cost ? num(c.max_cost) : 'No budget'),
        item('Circuit breaker', breakerText(c.auto_pause)),
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
