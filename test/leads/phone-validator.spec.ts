import { afterAll, describe, expect, it } from '@jest/globals';
import { normalizePhone } from '../../src/leads/csv/phone-normalizer';
import { PhoneValidator } from '../../src/leads/phone-validator.service';

describe('PhoneValidator', () => {
  const validator = new PhoneValidator();
  afterAll(() => validator.onModuleDestroy());

  const cells = [
    '06 12 34 56 78',
    '="+33612345679"',
    '0612',
    '+1 202 555 0143',
    'abc',
    '',
    '3.36123E+10',
    '0044 7911 123456',
  ];

  it('checks numbers on its worker thread (built by npm run build), as normalizePhone does', async () => {
    expect(validator.onWorkerThread).toBe(true);
    const expected = cells.map((c) => normalizePhone(c, 'FR'));
    expect(await validator.validate(cells, 'FR')).toEqual(expected);
    expect(await validator.validate(cells, undefined)).toEqual(
      cells.map((c) => normalizePhone(c, undefined)),
    );
  });

  it('answers concurrent requests each with its own results, in order', async () => {
    const batches = Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: 50 }, (_, j) => `+3361${String(i * 1000 + j).padStart(7, '0')}`),
    );
    const answers = await Promise.all(batches.map((b) => validator.validate(b, 'FR')));
    answers.forEach((a, i) => expect(a).toEqual(batches[i].map((n) => ({ ok: true, e164: n }))));
  });
});
