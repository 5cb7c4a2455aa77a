import type { ContactType } from './rules/types';

/** A campaign's `compliance` setting (see docs/COMPLIANCE.md). */
export interface ComplianceSettings {
  /** `auto`: the law of each lead's number; `none`: no law (chosen explicitly); ids: these jurisdictions' rules for every lead. */
  rules: 'auto' | 'none' | string[];
  /** Who the leads are, unless a lead's own `contact_type` column says otherwise. */
  contact_type: ContactType;
  /** A post-call question whose answer true is a refusal (the law's cool-down then applies to the number). */
  refusal_question: string | null;
  /** A post-call question whose answer true puts the number on the do-not-call list. */
  opt_out_question: string | null;
  /** A cap of the campaign's own, applied on top of the law's (it can only tighten them). */
  max_contacts: { count: number; days: number } | null;
  /** Block regional holidays a number cannot place (Alsace-Moselle) for every number of the country. */
  conservative_holidays: boolean;
}

export const DEFAULT_COMPLIANCE: ComplianceSettings = {
  rules: 'auto',
  contact_type: 'consumer',
  refusal_question: null,
  opt_out_question: null,
  max_contacts: null,
  conservative_holidays: true,
};

/** The stored setting with every key present (rows written before a key existed get its default). */
export function complianceOf(
  stored: Partial<ComplianceSettings> | null | undefined,
): ComplianceSettings {
  return { ...DEFAULT_COMPLIANCE, ...(stored ?? {}) };
}
