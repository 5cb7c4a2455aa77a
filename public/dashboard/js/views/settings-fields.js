/**
 * Every campaign setting the Settings tab edits, one line each: the API field (dotted for nested
 * objects), how it is typed in, and its label in English and French. A setting the API adds is
 * one more line here. Types: text, list (comma-separated), int, number, days, hours, choices,
 * json, datetime, url. `nullable`: an empty box sends null (the API clears the setting).
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
    type: 'json',
    nullable: true,
    label: ['Qualification rules (JSON)', 'Règles de qualification (JSON)'],
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
    type: 'json',
    nullable: true,
    label: [
      'Retry rule per outcome (JSON, e.g. {"missed": {"delay_minutes": 1440, "max_attempts": 2}})',
      'Règle de rappel par issue (JSON, ex. {"missed": {"delay_minutes": 1440, "max_attempts": 2}})',
    ],
  },
  {
    field: 'retry.by_status',
    type: 'json',
    nullable: true,
    label: [
      'Retry rule per platform status (JSON, e.g. {"voicemail": {"delay_minutes": 1440, "max_attempts": 2}})',
      'Règle de rappel par statut de la plateforme (JSON)',
    ],
  },
  {
    field: 'ends_at',
    type: 'datetime',
    nullable: true,
    label: ['End date (no call starts after it)', 'Date de fin (aucun appel après)'],
  },
  {
    field: 'max_calls_per_day',
    type: 'int',
    nullable: true,
    label: ['Calls per day (max, campaign’s zone)', 'Appels par jour (max, fuseau de la campagne)'],
  },
  {
    field: 'max_cost',
    type: 'number',
    nullable: true,
    label: ['Budget (max cost)', 'Budget (coût maximum)'],
  },
  {
    field: 'auto_pause',
    type: 'json',
    label: [
      'Circuit breaker (JSON {"failure_rate", "window_minutes", "min_calls"}, or false)',
      'Disjoncteur (JSON {"failure_rate", "window_minutes", "min_calls"}, ou false)',
    ],
  },
  {
    field: 'compliance',
    type: 'json',
    label: [
      'Calling laws (JSON: rules, contact_type, refusal_question, opt_out_question, max_contacts)',
      'Lois d’appel (JSON : rules, contact_type, refusal_question, opt_out_question, max_contacts)',
    ],
  },
];
