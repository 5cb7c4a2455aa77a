/**
 * Every campaign setting the Settings tab edits, one line each: the API field (dotted for nested
 * objects), how it is typed in (an editor of setting-editors.js), and its label in English and
 * French. A setting the API adds is one more line here. Types: text, list (comma-separated), int,
 * number, days, hours, choices, json, datetime, url, outcomeRules, statusRules, breaker,
 * compliance, qualification. `nullable`: an empty box sends null (the API clears the setting); `empty`: the
 * value an unset setting reads as; `create`: the creation form shows it too, with the same editor.
 */
export const SETTINGS = [
  { field: 'name', type: 'text', label: ['Name', 'Nom'] },
  { field: 'agent_id', type: 'text', label: ['Agent ID', 'Identifiant de l’agent'] },
  { field: 'from_numbers', type: 'list', label: ['Caller numbers', 'Numéros appelants'] },
  { field: 'timezone', type: 'text', label: ['Time zone', 'Fuseau horaire'] },
  {
    field: 'default_country',
    type: 'text',
    nullable: true,
    label: ['Default country', 'Pays par défaut'],
  },
  { field: 'calling_window.days', type: 'days', label: ['Calling days', 'Jours d’appel'] },
  {
    field: 'calling_window.hours',
    type: 'hours',
    label: ['Calling hours (each lead’s local time)', 'Heures d’appel (heure locale du contact)'],
  },
  {
    field: 'max_concurrent_calls',
    type: 'int',
    label: ['Calls at once (max)', 'Appels simultanés (max)'],
  },
  {
    field: 'max_calls_per_minute',
    type: 'int',
    label: ['Call starts per minute (max)', 'Appels lancés par minute (max)'],
  },
  {
    field: 'retry.max_attempts',
    type: 'int',
    label: ['Attempts per lead (max)', 'Tentatives par contact (max)'],
  },
  {
    field: 'retry.delay_minutes',
    type: 'int',
    label: ['Minutes between attempts', 'Minutes entre deux tentatives'],
  },
  {
    field: 'retry.on',
    type: 'choices',
    options: [
      ['missed', ['Missed', 'Manqué']],
      ['failed', ['Failed', 'Échoué']],
      ['unknown', ['Unknown', 'Inconnu']],
    ],
    label: ['Retry after a call that was', 'Rappeler après un appel'],
  },
  {
    field: 'qualification',
    type: 'qualification',
    label: ['Qualification rules', 'Règles de qualification'],
  },
  {
    field: 'variables',
    type: 'json',
    label: ['Campaign variables (JSON)', 'Variables de la campagne (JSON)'],
  },
  {
    field: 'webhook_url',
    type: 'url',
    nullable: true,
    label: ['CRM webhook URL', 'URL du webhook CRM'],
  },
  {
    field: 'retry.by_outcome',
    type: 'outcomeRules',
    empty: {},
    create: true,
    label: ['Retry rule per outcome', 'Règle de rappel par issue'],
  },
  {
    field: 'retry.by_status',
    type: 'statusRules',
    empty: {},
    create: true,
    label: ['Retry rule per platform status', 'Règle de rappel par statut de la plateforme'],
  },
  {
    field: 'ends_at',
    type: 'datetime',
    nullable: true,
    create: true,
    label: ['End date (no call starts after it)', 'Date de fin (aucun appel après)'],
  },
  {
    field: 'max_calls_per_day',
    type: 'int',
    nullable: true,
    create: true,
    label: ['Calls per day (max, campaign’s zone)', 'Appels par jour (max, fuseau de la campagne)'],
  },
  {
    field: 'max_cost',
    type: 'number',
    nullable: true,
    create: true,
    label: ['Budget (max cost)', 'Budget (coût maximum)'],
  },
  {
    field: 'auto_pause',
    type: 'breaker',
    create: true,
    label: ['Circuit breaker', 'Disjoncteur'],
  },
  {
    field: 'compliance',
    type: 'compliance',
    create: true,
    label: ['Calling laws', 'Lois d’appel'],
  },
];
