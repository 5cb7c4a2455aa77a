/**
 * The vocabulary that tells a phone column from the rest, and a mobile from a landline, in the
 * headers real exports use (Google Contacts, Outlook, Apple Contacts exporters, HubSpot,
 * Salesforce, Pipedrive in English and French, Zoho, Brevo, Mailchimp, LinkedIn scrapers) and in
 * the per-row type labels some of them write (`Phone 1 - Label` = `Mobile`). Words are compared
 * as variable-key words: lower case, accents folded (`Téléphone` → `telephone`).
 */

/** A header made of one of these words alone (or with neutral words) holds a phone number. */
const PHONE_WORDS = new Set([
  'phone',
  'phones',
  'telephone',
  'tel',
  'telefon',
  'telefono',
  'telefone',
  'telefoon',
  'mobile',
  'mobil',
  'mobiel',
  'portable',
  'cell',
  'cellphone',
  'cellular',
  'cellulaire',
  'cellulare',
  'celular',
  'gsm',
  'handy',
  'movil',
  'telemovel',
  'sms',
  'whatsapp',
  'msisdn',
  'fax',
  'telefax',
  'pager',
  'telecopie',
  'landline',
  // One-word compounds (German, and camel-less exports).
  'telefonnummer',
  'telefonnr',
  'rufnummer',
  'handynummer',
  'handynr',
  'mobilnummer',
  'mobilnr',
  'mobiltelefon',
  'mobilfunknummer',
  'festnetz',
  'festnetznummer',
  'phonenumber',
  'phoneno',
  'mobilephone',
  'mobilenumber',
  'cellnumber',
  'telno',
  'telnr',
  'whatsappnumber',
]);

/** Exact headers (as keys) that are phone columns though none of their words is a phone word. */
export const PHONE_HEADER_KEYS = new Set([
  'numero',
  'number',
  'to_number',
  'num_tel',
  'n_tel',
  'contact_number',
  'numero_portable',
  'numero_de_portable',
]);

/** Never dialled: another kind of line (`Business Fax`, `Pager`, `Telex`, a label `Work Fax`). */
const NEVER_WORDS = new Set(['fax', 'telefax', 'telecopie', 'telecopieur', 'pager', 'beeper']);
const NEVER_EXACT = new Set(['telex', 'tty', 'tdd', 'tty_tdd_phone', 'tty_tdd']);

/** A phone word with one of these is about the number, not the number (`SMS Opt-in`, `Phone Type`). */
const NOT_A_NUMBER_WORDS = new Set([
  'opt',
  'optin',
  'optout',
  'opted',
  'consent',
  'consentement',
  'subscribed',
  'subscription',
  'unsubscribed',
  'status',
  'statut',
  'verified',
  'validated',
  'valid',
  'carrier',
  'provider',
  'operator',
  'operateur',
  'country',
  'pays',
  'code',
  'prefix',
  'indicatif',
  'ext',
  'extension',
  'poste',
  'durchwahl',
  'count',
  'date',
  'time',
  'marketing',
  'permission',
  'dnc',
  'bounce',
  'bounced',
  'confirmed',
  'source',
  'region',
  'formatted_by',
  'other_phones',
]);

/** `Phone 1 - Type`, `Phone 1 - Label`: the kind of the number beside it, row by row. */
const LABEL_WORDS = new Set(['type', 'label', 'kind', 'category', 'categorie', 'libelle', 'art']);

/** Says the number is a mobile. */
const MOBILE_WORDS = new Set([
  'mobile',
  'mobil',
  'mobiel',
  'portable',
  'port',
  'cell',
  'cellphone',
  'cellular',
  'cellulaire',
  'cellulare',
  'celular',
  'gsm',
  'handy',
  'movil',
  'telemovel',
  'sms',
  'whatsapp',
  'iphone',
  'msisdn',
  'handynummer',
  'handynr',
  'mobilnummer',
  'mobilnr',
  'mobiltelefon',
  'mobilfunknummer',
  'mobilephone',
  'mobilenumber',
  'cellnumber',
  'whatsappnumber',
]);

/** Says the number is a fixed line, or a switchboard: dialled only when no mobile is given. */
const LANDLINE_WORDS = new Set([
  'home',
  'work',
  'business',
  'office',
  'company',
  'account',
  'organization',
  'organisation',
  'societe',
  'entreprise',
  'fixe',
  'fixed',
  'landline',
  'bureau',
  'travail',
  'domicile',
  'maison',
  'pro',
  'professionnel',
  'professionnelle',
  'perso',
  'personnel',
  'prive',
  'private',
  'privat',
  'geschaftlich',
  'dienstlich',
  'festnetz',
  'festnetznummer',
  'arbeit',
  'casa',
  'trabajo',
  'oficina',
  'fijo',
  'other',
  'autre',
  'andere',
  'otro',
  'car',
  'callback',
  'radio',
  'isdn',
  'standard',
  'switchboard',
  'direct',
  'directe',
  'ligne',
  'line',
  'voip',
  'skype',
  'corporate',
  'hq',
  'headquarters',
  'voiture',
]);

/** Words that change nothing: `Phone Number`, `Person - Phone`, `Phone 1 - Value`, `Primary Phone`. */
const NEUTRAL_WORDS = new Set([
  'number',
  'numbers',
  'numero',
  'num',
  'no',
  'nr',
  'n',
  'nummer',
  'de',
  'du',
  'of',
  'the',
  'la',
  'le',
  'des',
  'primary',
  'principal',
  'principale',
  'main',
  'default',
  'preferred',
  'contact',
  'kontakt',
  'person',
  'personne',
  'persona',
  'people',
  'lead',
  'client',
  'customer',
  'kunde',
  'value',
  'valeur',
  'wert',
  'e164',
  'intl',
  'international',
  'full',
  'formatted',
  'your',
  'votre',
  'to',
  'a',
  'et',
  'and',
]);

export type PhoneWordKind = 'never' | 'not_a_number' | 'label' | 'mobile' | 'landline' | 'generic';

/** How a header (as a variable key) reads: not a phone column (null), or which kind of one. */
export function classifyPhoneHeader(key: string): PhoneWordKind | 'unknown' | null {
  if (NEVER_EXACT.has(key)) return 'never';
  const words = wordsOf(key);
  const isPhone = PHONE_HEADER_KEYS.has(key) || words.some((w) => PHONE_WORDS.has(w));
  if (!isPhone) return null;
  if (words.some((w) => NEVER_WORDS.has(w))) return 'never';
  if (words.some((w) => NOT_A_NUMBER_WORDS.has(w))) return 'not_a_number';
  if (words.some((w) => LABEL_WORDS.has(w))) return 'label';
  return qualify(words);
}

/**
 * A per-row label (`Mobile`, `* Mobile`, `Work Fax`, `Home`, `iPhone`) as a kind; a label that
 * says nothing known (a custom one, or none) reads as generic.
 */
export function classifyPhoneLabel(key: string): 'never' | 'mobile' | 'landline' | 'generic' {
  const words = wordsOf(key);
  if (words.some((w) => NEVER_WORDS.has(w)) || NEVER_EXACT.has(key)) return 'never';
  const kind = qualify(words);
  return kind === 'unknown' ? 'generic' : kind;
}

/**
 * The key's words, and each pair of neighbours joined: camelCase splitting turns `WhatsApp` into
 * `whats_app` and `iPhone` into `i_phone`, which must still read as `whatsapp` and `iphone`.
 */
function wordsOf(key: string): string[] {
  const words = key.split('_').filter(Boolean);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = words[i] + words[i + 1];
    if (PHONE_WORDS.has(joined) || MOBILE_WORDS.has(joined)) pairs.push(joined);
  }
  return pairs.length > 0 ? [...words, ...pairs] : words;
}

function qualify(words: string[]): 'mobile' | 'landline' | 'generic' | 'unknown' {
  if (words.some((w) => MOBILE_WORDS.has(w))) return 'mobile';
  if (words.some((w) => LANDLINE_WORDS.has(w))) return 'landline';
  const rest = words.filter(
    (w) => !PHONE_WORDS.has(w) && !NEUTRAL_WORDS.has(w) && !/^\d+$/.test(w),
  );
  return rest.length === 0 ? 'generic' : 'unknown';
}

/** The key of a label column with its label word taken out: `phone_1_label` → `phone_1`. */
export function labelStem(key: string): string {
  return key
    .split('_')
    .filter((w) => w !== '' && !LABEL_WORDS.has(w))
    .join('_');
}

/** The key of a value column with its neutral `value` word taken out: `phone_1_value` → `phone_1`. */
export function valueStem(key: string): string {
  return key
    .split('_')
    .filter((w) => w !== '' && w !== 'value' && w !== 'valeur' && w !== 'wert')
    .join('_');
}
