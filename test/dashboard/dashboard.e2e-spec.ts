import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { WorkerTuning } from '../../src/core/runtime';
import { HAIR_SALON_FR_SCENARIO, type SimulatorHandle } from '../../src/simulator';
import { TEST_API_KEY } from '../kit/app';
import { startStack, type Stack } from '../kit/stack';
import { waitFor } from '../kit/wait';

/** Debian's Chromium, installed by apt (CI: .ci/run). Never a browser downloaded by Playwright. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const SHOTS = join(process.cwd(), 'test-artifacts', 'dashboard');

const AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
const FROM_NUMBER = HAIR_SALON_FR_SCENARIO.phone_numbers[0].number;

/** The engine at test speed. */
const TUNING: Partial<WorkerTuning> = {
  dialIntervalMs: 50,
  pollIntervalMs: 150,
  leaseMs: 1500,
  reconcileGraceMs: 1500,
  clockSkewMs: 5000,
  maxCallAgeMs: 60_000,
  scheduleIntervalMs: 60_000,
};

/** Calls of 1–2 s: long enough for the page (polling every second) to show the run moving. */
const CALLS = {
  ringMs: 100,
  talkMinMs: 900,
  talkMaxMs: 1800,
  missedAfterMs: 700,
  failedAfterMs: 400,
  unknownAfterMs: 700,
  answersDelayMs: 0,
};

/** Twelve French mobiles written as people type them, and one bad row: spreadsheet row 5. */
const LEAD_CSV = [
  'phone,prenom,nom_du_salon',
  '06 12 34 56 01,Zoé,Salon Zoé',
  '06 12 34 56 02,Luc,Coupe Luc',
  '06 12 34 56 03,Inès,Chez Inès',
  'not a number,Bad,Row',
  ...Array.from(
    { length: 9 },
    (_, i) => `06 12 34 56 ${String(i + 4).padStart(2, '0')},Lead ${i + 4},Salon ${i + 4}`,
  ),
].join('\n');
const GOOD_LEADS = 12;

interface Funnel {
  labels: string[];
  data: number[];
  painted: number;
  area: number;
}

/** In-page checks from browser-probes.js (see there). */
const probe = <T>(page: Page, call: string) => page.evaluate<T>(`window.dashboardProbes.${call}`);
const unlabelledControls = (page: Page) => probe<string[]>(page, 'unlabelledControls()');

describe('the dashboard in a real browser', () => {
  let stack: Stack;
  let sim: SimulatorHandle;
  let app: INestApplication;
  let browser: Browser;
  let page: Page;
  let base: string;
  let campaignUrl: string;
  /** Uncaught page errors and Content-Security-Policy refusals: none may happen. */
  const pageProblems: string[] = [];

  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium). ` +
          'The dashboard test never downloads a browser.',
      );
    }
    await rm(SHOTS, { recursive: true, force: true });
    await mkdir(SHOTS, { recursive: true });
    stack = await startStack({
      role: 'all',
      worker: TUNING,
      simulator: { seed: 'dashboard', durations: CALLS },
    });
    ({ sim, app } = stack);
    base = await app.getUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    await context.addInitScript({ path: join(process.cwd(), 'test/dashboard/browser-probes.js') });
    page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Uncaught/i.test(message.text())) {
        pageProblems.push(`console: ${message.text()}`);
      }
    });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks for the API key, refuses a wrong one in words, and keeps the right one for the tab', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/app');
    await page.getByRole('heading', { name: 'Enter your API key' }).waitFor();
    await shot('01-api-key');

    await page.getByLabel('API key', { exact: true }).fill('not-the-key');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'This key was refused: Invalid API key',
    );

    // By keyboard alone: Tab reaches the field, Enter sends it.
    await page.getByLabel('API key', { exact: true }).fill('');
    await page.locator('body').focus();
    for (let i = 0; i < 10 && (await probe(page, 'focusedName()')) !== 'api_key'; i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type(TEST_API_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.getByText('No campaigns yet').waitFor();
    expect(await probe(page, 'storedKey()')).toBe(TEST_API_KEY);
    await expect(page.locator('#mode-badge').isVisible()).resolves.toBe(false); // live mode against the simulator
    await shot('02-campaigns-empty');
  });

  it('creates a campaign from the form and goes to its import page', async () => {
    await page.getByRole('link', { name: 'New campaign' }).first().click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();

    // A request the API refuses shows its message and marks the field.
    await page.getByLabel('Name', { exact: true }).fill('Salons de coiffure – test');
    await page.getByLabel('Agent ID').fill('not-a-uuid');
    await page.getByLabel('Caller numbers').fill(FROM_NUMBER);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'agent_id must be the UUID of a CallRounded agent',
    );
    await expect(page.getByLabel('Agent ID').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Agent ID').fill(AGENT_ID);
    await page.getByLabel('Default country').fill('FR');
    await page.getByLabel('Sat').check();
    await page.getByLabel('Sun').check();
    await page.getByLabel('Interval 1 start').fill('00:00');
    await page.getByLabel('Interval 1 end').fill('24:00');
    await page.getByRole('button', { name: 'Remove interval 2' }).click();
    await page.getByLabel('Calls at once (max)').fill('3');
    await page.getByLabel('Call starts per minute (max)').fill('6000');
    await page.getByLabel('Attempts per lead (max)').fill('2');
    await page.getByLabel('Minutes between attempts').fill('0');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule 1: question name').fill('interested');
    await page.getByLabel('Rule 1: value').fill('true');
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('03-new-campaign', true);

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/#\/campaigns\/[0-9a-f-]{36}\/import$/);
    campaignUrl = page.url().replace(/\/import$/, '');
    await page.getByRole('heading', { name: 'Salons de coiffure – test' }).waitFor();
    await expect(page.locator('.badge').textContent()).resolves.toBe('Draft');
  });

  it('imports a dropped CSV and shows the bad row, the counts and the missing variable', async () => {
    await probe(page, `dropFile('.dropzone', 'salons.csv', ${JSON.stringify(LEAD_CSV)})`);

    const errorRows = page.locator('#row-errors tbody tr');
    await errorRows.first().waitFor();
    expect(await errorRows.count()).toBe(1);
    const cells = await errorRows.first().locator('td').allTextContents();
    expect(cells[0]).toBe('5');
    expect(cells[1]).toBe('phone');
    expect(cells[2].length).toBeGreaterThan(5);

    const result = page.locator('.import-result');
    await expect(
      result.locator('.stat', { hasText: 'Added' }).locator('.stat-value').textContent(),
    ).resolves.toBe(String(GOOD_LEADS));
    await expect(
      result.locator('.stat', { hasText: 'Rejected' }).locator('.stat-value').textContent(),
    ).resolves.toBe('1');
    await expect(
      result.locator('.stat', { hasText: 'Duplicates' }).locator('.stat-value').textContent(),
    ).resolves.toBe('0');
    // The agent's greeting uses {{ville}}; the file has no such column.
    await expect(result.getByRole('note').first().textContent()).resolves.toContain('ville');
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('04-import-result', true);
  });

  it('starts the campaign and shows it move to completion, with the funnel and the answers drawn', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('#progress-figure').waitFor();
    await page.getByRole('button', { name: 'Start' }).click();

    // Watch the page as a person would: the progress figure at each redraw.
    const done = `${GOOD_LEADS} of ${GOOD_LEADS} leads done`;
    const seen: string[] = [];
    const deadline = Date.now() + 45_000;
    for (;;) {
      const figure = (await page.locator('#progress-figure').textContent()) ?? '';
      if (seen.at(-1) !== figure) seen.push(figure);
      const partway = /^[1-9]\d* of /.test(figure) && !figure.startsWith(done);
      if (partway && !existsSync(join(SHOTS, '05-campaign-running.png')))
        await shot('05-campaign-running', true);
      if (figure.startsWith(done) && (await page.locator('.badge').textContent()) === 'Completed')
        break;
      if (Date.now() > deadline)
        throw new Error(`the page never showed completion; it showed: ${seen.join(' | ')}`);
      await page.waitForTimeout(100);
    }
    // Seen moving: at least one figure between none and all.
    expect(seen.some((f) => /^[1-9]\d* of /.test(f) && !f.startsWith(done))).toBe(true);

    // The cap was shown and held: never more than 3 calls in progress.
    await expect(page.locator('#live-calls').textContent()).resolves.toBe('0 / 3');
    expect(sim.maxLiveObserved()).toBeLessThanOrEqual(3);

    // The funnel: Chart.js holds the report's final figures (the page catches up within seconds),
    // and the canvas has pixels drawn.
    const id = campaignUrl.split('/').pop();
    const report = (await (
      await fetch(`${base}/v1/campaigns/${id}/report?limit=1`, {
        headers: { 'X-Api-Key': TEST_API_KEY },
      })
    ).json()) as {
      summary: { leads: number; dialled: number; reached: number; qualified: number };
    };
    const expected = [
      report.summary.leads,
      report.summary.dialled,
      report.summary.reached,
      report.summary.qualified,
    ];
    expect(expected[0]).toBe(GOOD_LEADS);
    expect(expected[2]).toBeGreaterThan(0);
    await waitFor('the funnel to show the final report', async () => {
      const shown = await probe<Funnel | null>(page, 'funnel()');
      return JSON.stringify(shown?.data) === JSON.stringify(expected);
    });
    const funnel = (await probe<Funnel | null>(page, 'funnel()'))!;
    expect(funnel.labels).toEqual(['Leads', 'Dialled', 'Reached', 'Qualified']);
    expect(funnel.painted).toBeGreaterThan(funnel.area * 0.02);

    // Answer distributions, per question of the agent.
    const answers = page.locator('section[aria-labelledby="answers-title"]');
    await answers.getByRole('heading', { name: 'interested' }).waitFor();
    await answers.getByRole('heading', { name: 'logiciel_actuel' }).waitFor();
    await expect(page.getByRole('button', { name: 'Start' }).count()).resolves.toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('06-campaign-completed', true);
  });

  it('downloads the XLSX report with the key', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report as XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Salons de coiffure – test-report.xlsx');
    const file = join(SHOTS, 'report.xlsx');
    await download.saveAs(file);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    const [excel] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report as Excel CSV' }).click(),
    ]);
    const excelFile = join(SHOTS, 'report-excel.csv');
    await excel.saveAs(excelFile);
    const text = await readFile(excelFile, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\n')[0]).toContain('phone;');
  });

  it('lists the leads with a status filter and pages through them', async () => {
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    const rows = page.locator('table.leads tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(GOOD_LEADS);
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('07-leads');

    await page.getByLabel('Per page').selectOption('10');
    await page.getByText(`Page 1 · 10 leads shown`).waitFor();
    await page.getByRole('button', { name: 'Next page →' }).click();
    await page.getByText(`Page 2 · ${GOOD_LEADS - 10} leads shown`).waitFor();
    await page.getByRole('button', { name: '← Previous page' }).click();
    await page.getByText('Page 1 · 10 leads shown').waitFor();

    await page.getByLabel('Status').selectOption('suppressed');
    await page.getByText('No “Suppressed” leads').waitFor();
    await page.getByLabel('Status').selectOption('completed');
    await rows.first().waitFor();
    const statuses = await page.locator('table.leads tbody .lead-status').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['Completed']));

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Every day, 00:00–24:00').waitFor();
    await shot('08-settings', true);
  });

  it('asks before cancelling, and cancels only when confirmed', async () => {
    const created = await fetch(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Relance décembre',
        agent_id: AGENT_ID,
        from_numbers: [FROM_NUMBER],
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${base}/app#/campaigns/${id}/overview`);
    await page.getByText('No leads yet').first().waitFor();
    await shot('09-draft-empty');

    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Leads still waiting will not be called').waitFor();
    await shot('10-cancel-dialog');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(page.locator('.badge').textContent()).resolves.toBe('Draft');

    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the campaign' }).click();
    await page.locator('.badge', { hasText: 'Cancelled' }).waitFor();
    await expect(page.getByRole('button', { name: 'Cancel campaign' }).count()).resolves.toBe(0);

    await page.getByRole('link', { name: '← Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    const list = page.locator('table tbody tr');
    await list.nth(1).waitFor();
    await expect(list.count()).resolves.toBe(2);
    await expect(
      list.first().getByRole('progressbar').getAttribute('aria-valuetext'),
    ).resolves.toBe('No leads');
    await expect(list.nth(1).getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe(
      String(GOOD_LEADS),
    );
    await shot('11-campaigns');
  });

  it('ran without a script error or a refused resource', () => {
    expect(pageProblems).toEqual([]);
  });
});
