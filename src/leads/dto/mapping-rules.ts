import { ValidateBy, type ValidationOptions } from 'class-validator';

const MAX_ENTRIES = 500;
const MAX_TEXT = 200;
/** Marks a mapping that is not JSON, so that validation names the problem. */
const UNREADABLE = Symbol('unreadable mapping');

/** The `mapping` query parameter (or multipart field) as an object; invalid JSON fails validation. */
export function parseMappingJson({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return UNREADABLE;
  }
}

/** `{"<header>": "<variable>" | null}`, of reasonable size. */
export function isColumnMapping(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length > MAX_ENTRIES) return false;
  return entries.every(
    ([k, v]) =>
      k.length <= MAX_TEXT && (v === null || (typeof v === 'string' && v.length <= MAX_TEXT)),
  );
}

export function IsColumnMapping(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isColumnMapping',
      validator: {
        validate: isColumnMapping,
        defaultMessage: () =>
          `mapping must be a JSON object {"<header>": "<variable>" | null} of at most ${MAX_ENTRIES} entries`,
      },
    },
    options,
  );
}
