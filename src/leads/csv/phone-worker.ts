import { parentPort } from 'node:worker_threads';
import type { CountryCode } from 'libphonenumber-js/core';
import { normalizePhone } from './phone-normalizer';

/**
 * Worker thread of PhoneValidator: validates lists of phone cells. An answer per cell: the
 * E.164 number (it starts with `+`), or why the cell is not a number that can be called.
 */
export interface PhoneCheckRequest {
  id: number;
  cells: string[];
  country: CountryCode | null;
}

export interface PhoneCheckResponse {
  id: number;
  answers: string[];
}

parentPort?.on('message', ({ id, cells, country }: PhoneCheckRequest) => {
  const answers = cells.map((cell) => {
    const result = normalizePhone(cell, country ?? undefined);
    return result.ok ? result.e164 : result.message;
  });
  parentPort!.postMessage({ id, answers } satisfies PhoneCheckResponse);
});
