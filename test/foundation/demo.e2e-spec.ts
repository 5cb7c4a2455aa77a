import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createTestDatabase, TestDatabase } from '../kit/database';

const DEMO_JS = join(process.cwd(), 'dist/src/demo/demo.js');

/** `npm run demo` is the README's first command: it must run a campaign to its report, alone. */
describe('npm run demo', () => {
  let db: TestDatabase;
  let cwd: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    cwd = mkdtempSync(join(tmpdir(), 'crc-demo-'));
    mkdirSync(join(cwd, 'examples'));
    copyFileSync(join(process.cwd(), 'examples/leads.csv'), join(cwd, 'examples/leads.csv'));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('imports examples/leads.csv, runs the campaign on the simulator and writes the report files', async () => {
    if (!existsSync(DEMO_JS)) throw new Error(`${DEMO_JS} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [DEMO_JS], {
      cwd,
      // A platform key in the environment must not turn the demo into real calls.
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: db.url,
        CALLROUNDED_API_KEY: 'must-be-ignored',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, out }).toMatchObject({ code: 0 });

    expect(out).toContain('31 rows, 30 accepted, 1 rejected, 0 duplicates');
    expect(out).toContain('row 13, column Téléphone');
    expect(out).toMatch(/\[#{30}\] 30\/30 final/);
    const files = [...out.matchAll(/^ {2}(\/.+)$/gm)].map((m) => m[1]);
    expect(files.map((f) => f.split('/').pop())).toEqual([
      'report.json',
      'report.csv',
      'report-excel.csv',
      'report.xlsx',
    ]);

    const report = JSON.parse(readFileSync(files[0], 'utf8'));
    expect(report.summary.leads).toBe(30);
    expect(report.summary.dialled).toBe(30);
    const csvLines = readFileSync(files[1], 'utf8').trimEnd().split('\r\n');
    expect(csvLines).toHaveLength(31);
    expect(csvLines[0]).toMatch(
      /^phone,prenom,nom_du_salon,ville,nombre_de_fauteuils,status,attempts,last_call_id/,
    );
    expect(readFileSync(files[2]).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(files[3]);
    expect(book.worksheets[0].rowCount).toBe(31);
  });
});
