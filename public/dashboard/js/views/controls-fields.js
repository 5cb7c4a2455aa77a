import { field, h, uid } from '../dom.js';

/** A `datetime-local` value (the browser's zone) for an ISO instant, and back. */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(text) {
  return text ? new Date(text).toISOString() : null;
}

function optionalNumber(name, min, step) {
  return h('input', {
    type: 'number',
    name,
    min: String(min),
    step,
    placeholder: 'No limit',
    dataset: { field: name },
  });
}

const DEFAULT_BREAKER = { failure_rate: 0.5, window_minutes: 2, min_calls: 10 };

/**
 * The campaign controls (docs/CAMPAIGN-CONTROLS.md) as form fields: end date, daily cap, budget,
 * circuit breaker. Used by the creation form and the settings tab's editor; `value()` is the
 * part of the request body they set (empty fields: no limit).
 */
export function controlsFields(initial = {}) {
  const endsAt = h('input', {
    type: 'datetime-local',
    name: 'ends_at',
    value: toLocalInput(initial.ends_at),
    dataset: { field: 'ends_at' },
  });
  const perDay = optionalNumber('max_calls_per_day', 1, '1');
  perDay.value = initial.max_calls_per_day == null ? '' : String(initial.max_calls_per_day);
  const maxCost = optionalNumber('max_cost', 0, 'any');
  maxCost.value = initial.max_cost == null ? '' : String(initial.max_cost);

  const breaker = initial.auto_pause === undefined ? DEFAULT_BREAKER : initial.auto_pause;
  const on = h('input', {
    type: 'checkbox',
    id: uid('breaker'),
    checked: breaker !== false,
    dataset: { field: 'auto_pause' },
  });
  const values = breaker === false ? DEFAULT_BREAKER : breaker;
  const rate = h('input', {
    type: 'number',
    name: 'auto_pause.failure_rate',
    min: '1',
    max: '100',
    step: '1',
    value: String(Math.round(values.failure_rate * 100)),
    dataset: { field: 'auto_pause.failure_rate' },
  });
  const windowMinutes = h('input', {
    type: 'number',
    name: 'auto_pause.window_minutes',
    min: '1',
    step: '1',
    value: String(values.window_minutes),
    dataset: { field: 'auto_pause.window_minutes' },
  });
  const minCalls = h('input', {
    type: 'number',
    name: 'auto_pause.min_calls',
    min: '1',
    step: '1',
    value: String(values.min_calls),
    dataset: { field: 'auto_pause.min_calls' },
  });
  const breakerFields = h(
    'div',
    { class: 'two' },
    field('Failed share (%)', rate),
    field('Over the last (minutes)', windowMinutes),
    field('Once this many calls', minCalls),
  );
  const showBreaker = () => (breakerFields.hidden = !on.checked);
  on.addEventListener('change', showBreaker);
  showBreaker();

  const el = h(
    'div',
    { class: 'controls-fields' },
    h(
      'div',
      { class: 'two' },
      field('Calls per day (max)', perDay, 'In the campaign’s time zone. Empty: no cap.'),
      field('Budget (max cost)', maxCost, 'Pauses the campaign when reached. Empty: none.'),
    ),
    field('No call after', endsAt, 'Leads still waiting then expire. Empty: no end.'),
    h(
      'span',
      { class: 'check' },
      on,
      h('label', { for: on.id }, 'Pause when the platform fails too many calls'),
    ),
    breakerFields,
  );

  const numberOrNull = (input) => (input.value.trim() === '' ? null : input.valueAsNumber);
  return {
    el,
    value: () => ({
      ends_at: fromLocalInput(endsAt.value),
      max_calls_per_day: numberOrNull(perDay),
      max_cost: numberOrNull(maxCost),
      auto_pause: on.checked
        ? {
            failure_rate: rate.valueAsNumber / 100,
            window_minutes: windowMinutes.valueAsNumber,
            min_calls: minCalls.valueAsNumber,
          }
        : false,
    }),
  };
}
