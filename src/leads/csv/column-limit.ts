import { BadRequestException } from '@nestjs/common';

/** More columns than any CRM export has; beyond it a file is refused before its rows are read. */
export const MAX_COLUMNS = 2000;

export function tooManyColumns(count: number): BadRequestException {
  return new BadRequestException({
    message: `The file has ${count} columns; at most ${MAX_COLUMNS} are accepted. Remove the columns the calls do not need`,
    details: [{ field: 'file', message: `more than ${MAX_COLUMNS} columns` }],
  });
}

/**
 * Counts the columns of a header line (delimiters outside quotes, plus one) in one pass, so that
 * an absurd header is refused before the CSV parser splits it into hundreds of thousands of cells.
 */
export function countHeaderColumns(line: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) count++;
  }
  return count;
}
