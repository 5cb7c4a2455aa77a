import { DateTime } from 'luxon';
import type { Queryable } from '../common/queryable';

/**
 * The file columns the calling laws read (docs/COMPLIANCE.md), by variable key: when the person
 * consented, where (a form, a contract…), and whether they are a consumer or a business contact.
 * They stay variables of the lead too (the agent may use them) and are copied into the lead's own
 * columns at the end of the import.
 */
export const EVIDENCE_KEYS = ['consent_at', 'consent_source', 'contact_type'] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

const CONTACT_TYPE_WORDS: Record<string, 'consumer' | 'business'> = {
  consumer: 'consumer',
  b2c: 'consumer',
  particulier: 'consumer',
  private: 'consumer',
  business: 'business',
  b2b: 'business',
  professionnel: 'business',
  pro: 'business',
  entreprise: 'business',
  company: 'business',
};

/** `2026-09-01`, `2026-09-01T10:00:00Z`, `01/09/2026` (day first): an ISO instant, or null. */
function consentInstant(cell: string): string | null {
  let d = DateTime.fromISO(cell, { zone: 'utc' });
  if (!d.isValid) d = DateTime.fromFormat(cell, 'dd/MM/yyyy', { zone: 'utc' });
  if (!d.isValid) d = DateTime.fromFormat(cell, 'dd/MM/yyyy HH:mm', { zone: 'utc' });
  return d.isValid && d.year >= 1970 ? d.toUTC().toISO() : null;
}

/** The cell as stored, or the message of a row error; empty cells stay empty. */
export function normaliseEvidence(
  key: EvidenceKey,
  cell: string,
): { value: string } | { error: string } {
  if (cell === '' || key === 'consent_source') return { value: cell.slice(0, 500) };
  if (key === 'consent_at') {
    const at = consentInstant(cell);
    return at
      ? { value: at }
      : { error: `${JSON.stringify(cell)} is not a date (such as 2026-09-01 or 01/09/2026)` };
  }
  const type = CONTACT_TYPE_WORDS[cell.toLowerCase()];
  return type
    ? { value: type }
    : { error: `${JSON.stringify(cell)} is not a contact type: consumer or business` };
}

/** Copies the evidence variables of an import's leads into their columns (values already normalised). */
export async function storeEvidence(
  db: Queryable,
  campaignId: string,
  importId: string,
): Promise<void> {
  await db.query(
    `UPDATE leads SET consent_at = nullif(variables->>'consent_at', '')::timestamptz,
            consent_source = nullif(variables->>'consent_source', ''),
            contact_type = nullif(variables->>'contact_type', '')
      WHERE campaign_id = $1 AND import_id = $2
        AND variables ?| array['consent_at', 'consent_source', 'contact_type']`,
    [campaignId, importId],
  );
}
