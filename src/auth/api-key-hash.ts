import { createHash, randomBytes } from 'node:crypto';

/** Keys are stored as their SHA-256: they are long random strings, so no slow hash is needed. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new secret: `crk_` and 32 random base64url characters (192 bits). */
export const newKeySecret = (): string => `crk_${randomBytes(24).toString('base64url')}`;

/** The first characters of a key, to tell keys apart in a listing without revealing them. */
export const keyPrefix = (key: string): string => key.slice(0, 8);
