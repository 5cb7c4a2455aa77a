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
  let settingsCampaignId: string;
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
      locale: 'en-US',
      timezoneId: 'America/New_York',
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

    // The agent is checked as it is typed: unknown in the platform's words, then its name,
    // variables and questions, offered to the rules.
    await page.getByLabel('Agent ID').fill('6f1c1b0e-0000-4000-8000-000000000000');
    await page
      .locator('.agent-info', { hasText: 'agent_id: Agent not found (CallRounded)' })
      .waitFor();
    await page.getByLabel('Agent ID').fill(AGENT_ID);
    await page.locator('.agent-info', { hasText: '✓ Qualification salons de coiffure' }).waitFor();
    await expect(page.locator('.agent-info').textContent()).resolves.toContain(
      'interested (boolean)',
    );
    await expect(
      page
        .locator('#agent-questions option')
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)),
    ).resolves.toContain('logiciel_actuel');
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

    // First a preview: nothing stored, the phone column and why, each column's variable.
    const preview = page.locator('.import-preview');
    await preview.waitFor();
    await expect(
      page.getByLabel('Phone column', { exact: true }).last().inputValue(),
    ).resolves.toBe('phone');
    await expect(preview.locator('#phone-reason').textContent()).resolves.toMatch(/^Why: .+/);
    await expect(preview.locator('.preview-leads tbody tr').count()).resolves.toBe(5);
    await expect(
      preview.locator('.preview-leads tbody tr').first().textContent(),
    ).resolves.toContain('+33612345601');
    const leadCount = async () =>
      (
        (await (
          await fetch(`${base}/v1/campaigns/${campaignUrl.split('/').pop()}/leads`, {
            headers: { 'X-Api-Key': TEST_API_KEY },
          })
        ).json()) as { data: unknown[] }
      ).data.length;
    expect(await leadCount()).toBe(0);
    // A renamed column: the agent's {{prenom}} is then missing, said before anything is stored.
    await page.getByLabel('Variable for column prenom').fill('first_name');
    await page.getByRole('button', { name: 'Preview again with these changes' }).click();
    await preview.getByRole('note').filter({ hasText: 'prenom' }).waitFor();
    await shot('04a-import-preview', true);
    await page.getByLabel('Variable for column prenom').fill('prenom');
    await page.getByRole('button', { name: 'Import these leads' }).click();

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
    // The page runs at the wall clock, at any hour: the calling laws are tested in test/compliance.
    const patched = await fetch(`${base}/v1/campaigns/${campaignUrl.split('/').pop()}`, {
      method: 'PATCH',
      headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ compliance: { rules: 'none' } }),
    });
    expect(patched.status).toBe(200);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('#progress-figure').waitFor();
    await page.locator('#eligibility-title').waitFor();
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

    // Search by name, then one lead's every attempt with its answers.
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search by number or name').fill('Zoé');
    await waitFor('the search to find one lead', async () => (await rows.count()) === 1);
    await page.getByRole('button', { name: 'Details of +33612345601' }).click();
    const detail = page.locator('.lead-detail');
    await detail.getByRole('heading', { name: 'Lead +33612345601' }).waitFor();
    const attempts = detail.locator('table.attempts tbody tr');
    expect(await attempts.count()).toBeGreaterThanOrEqual(1);
    const cells = await attempts.last().locator('td').allTextContents();
    expect(cells[0]).toBe(String(await attempts.count()));
    expect(['completed', 'missed', 'failed']).toContain(cells[2]);
    if (cells[2] === 'completed') expect(cells[6]).toContain('interested');
    await page.getByLabel('Search by number or name').fill('06 12 34 56 03');
    await waitFor(
      'the number search',
      async () =>
        (await rows.first().locator('th').textContent()) === '+33612345603' &&
        (await rows.count()) === 1,
    );
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('07a-lead-detail', true);
  });

  it('shows a completed call’s transcript and calls an unreached lead again, with the extra attempts chosen', async () => {
    const id = campaignUrl.split('/').pop();
    const completed = (await (
      await fetch(`${base}/v1/campaigns/${id}/leads?status=completed&limit=1`, {
        headers: { 'X-Api-Key': TEST_API_KEY },
      })
    ).json()) as { data: { phone: string; variables: { prenom: string } }[] };
    const reached = completed.data[0];
    const search = page.getByLabel('Search by number or name');
    const rows = page.locator('table.leads tbody tr');
    await search.fill(reached.phone.replace('+33', '0'));
    await waitFor('the reached lead alone', async () => (await rows.count()) === 1);
    await page.getByRole('button', { name: `Details of ${reached.phone}` }).click();
    const detail = page.locator('.lead-detail');
    await detail.getByRole('heading', { name: `Lead ${reached.phone}` }).waitFor();
    const attempts = detail.locator('table.attempts tbody tr');
    const n = await attempts.count();
    await detail.getByRole('button', { name: `Transcript of attempt ${n}` }).click();
    await detail.locator('.transcript-lines li', { hasText: reached.variables.prenom }).waitFor();
    await shot('07b-lead-transcript', true);
    await expect(detail.locator('.transcript-lines li').first().textContent()).resolves.toMatch(
      /^Agent: Bonjour/,
    );
    // A completed lead is not offered "call again".
    await expect(
      detail.getByRole('button', { name: 'Call this lead again' }).count(),
    ).resolves.toBe(0);

    // An unreached lead: the engine's outcome mix is tested elsewhere; here one lead is made
    // exhausted so the page has one to offer.
    await stack.sql.query(
      `UPDATE leads SET status = 'exhausted' WHERE campaign_id = $1 AND phone = $2`,
      [id, reached.phone],
    );
    await page.getByRole('button', { name: `Details of ${reached.phone}` }).click();
    await detail.getByRole('button', { name: 'Call this lead again' }).waitFor();
    await detail.getByLabel('Extra attempts').fill('0');
    await detail.getByRole('button', { name: 'Call this lead again' }).click();
    await detail.locator('.field-error', { hasText: 'extra_attempts' }).waitFor();
    await detail.getByLabel('Extra attempts').fill('2');
    expect(await unlabelledControls(page)).toEqual([]);
    await detail.getByRole('button', { name: 'Call this lead again' }).click();
    await page.getByText('Back in the queue: 1.').waitFor();
    // Called again: one attempt more, and the campaign completes again.
    await waitFor('the lead called again', async () => (await attempts.count()) === n + 1);
    await waitFor('the campaign completed again', async () => {
      const c = (await (
        await fetch(`${base}/v1/campaigns/${id}`, { headers: { 'X-Api-Key': TEST_API_KEY } })
      ).json()) as { status: string; progress: { final: number } };
      return c.status === 'completed' && c.progress.final === GOOD_LEADS;
    });
    await page.locator('.badge', { hasText: 'Completed' }).waitFor();
    await search.fill('');
  });

  it('edits the campaign controls in the settings tab', async () => {
    const created = await fetch(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Contrôles',
        agent_id: AGENT_ID,
        // Wall clock, any hour: the calling laws are tested in test/compliance.
        compliance: { rules: 'none' },
        from_numbers: [FROM_NUMBER],
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await page.goto(`${base}/app#/campaigns/${id}/settings`);
    const perDay = page.getByLabel('Calls per day (max, campaign’s zone)');
    await perDay.waitFor();
    // The breaker as a form: on by default, its three numbers shown.
    const breakerOn = page.getByLabel('Pause when the platform fails too many calls');
    await expect(breakerOn.isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Failed share (%)').inputValue()).resolves.toBe('50');
    await expect(page.getByLabel('Over the last (minutes)').inputValue()).resolves.toBe('2');
    await expect(page.getByLabel('Once this many calls').inputValue()).resolves.toBe('10');
    await perDay.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const problem = page.locator('[data-setting="max_calls_per_day"] .field-error');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/max_calls_per_day|at least 1|1/);

    // A status rule with a refused number: the API's message by that rule, its input marked.
    const byStatus = page.locator('[data-setting="retry.by_status"]');
    await byStatus.getByRole('button', { name: 'Add a status rule' }).click();
    await page.getByLabel('Status rule 1: Platform status').fill('failed');
    await page.getByLabel('Status rule 1: Attempts (max)').fill('0');
    await perDay.fill('250');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await byStatus.locator('.field-error', { hasText: 'max_attempts' }).waitFor();
    await expect(
      page.getByLabel('Status rule 1: Attempts (max)').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await page.getByLabel('Status rule 1: Attempts (max)').fill('2');
    await page.getByLabel('Status rule 1: Minutes before the next call').fill('1440');

    // A rule of its own for missed calls; the breaker off; the refusal question offered from
    // the agent's yes/no questions; a cap on contacts.
    await page.getByLabel('Missed (no answer, busy)').check();
    await page.getByLabel('Missed: Attempts (max, the first included)').fill('4');
    await page.getByLabel('Missed: Minutes before the next call').fill('120');
    await page.getByLabel('Budget (max cost)').fill('12.5');
    await breakerOn.uncheck();
    await expect(page.getByLabel('Failed share (%)').isVisible()).resolves.toBe(false);
    const refusal = page.getByLabel('Question that records a refusal (yes/no)');
    await waitFor('the agent’s yes/no questions offered', async () =>
      (await refusal.locator('option').allTextContents()).includes('rappel_souhaite'),
    );
    expect(await refusal.locator('option').allTextContents()).not.toContain('nb_employes');
    await refusal.selectOption('rappel_souhaite');
    await page.getByLabel('Cap the attempts to one number (all campaigns counted)').check();
    await page.getByLabel('Attempts at most').fill('3');
    await page.getByLabel('Within (days)').fill('400');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const cap = page.locator('[data-setting="compliance"] .field-error');
    await cap.waitFor();
    expect(await cap.textContent()).toContain('days');
    await expect(page.getByLabel('Within (days)').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await page.getByLabel('Within (days)').fill('30');
    // The qualification rules as rows, the agent's questions offered by the question box.
    await page.getByRole('button', { name: 'Add rule', exact: true }).click();
    const question = page.getByLabel('Rule 1: question name');
    const offered = await page
      .locator(`#${await question.getAttribute('list')} option`)
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toContain('interested');
    await question.fill('interested');
    await page.getByLabel('Rule 1: value').fill('true');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = (await (
      await fetch(`${base}/v1/campaigns/${id}`, { headers: { 'X-Api-Key': TEST_API_KEY } })
    ).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({
      max_calls_per_day: 250,
      max_cost: 12.5,
      auto_pause: false,
      ends_at: null,
      retry: {
        by_outcome: { missed: { max_attempts: 4, delay_minutes: 120 } },
        by_status: { failed: { max_attempts: 2, delay_minutes: 1440 } },
      },
      compliance: {
        rules: 'none',
        refusal_question: 'rappel_souhaite',
        max_contacts: { count: 3, days: 30 },
      },
      qualification: { match: 'all', rules: [{ question: 'interested', equals: true }] },
    });
    // Saved and shown again: nothing left to save.
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Nothing changed.').waitFor();
    await shot('09-controls');
  });

  it('asks before cancelling, and cancels only when confirmed', async () => {
    const created = await fetch(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Relance décembre',
        agent_id: AGENT_ID,
        // Wall clock, any hour: the calling laws are tested in test/compliance.
        compliance: { rules: 'none' },
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
    await list.nth(2).waitFor();
    await expect(list.count()).resolves.toBe(3);
    await expect(
      list.first().getByRole('progressbar').getAttribute('aria-valuetext'),
    ).resolves.toBe('No leads');
    await expect(list.nth(2).getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe(
      String(GOOD_LEADS),
    );
    await shot('11-campaigns');
  });

  it('edits the settings with the API’s own field messages, and the schedule with its reading and next runs', async () => {
    const created = await fetch(`${base}/v1/campaigns`, {
      method: 'POST',
      headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Relance janvier',
        agent_id: AGENT_ID,
        // Wall clock, any hour: the calling laws are tested in test/compliance.
        compliance: { rules: 'none' },
        from_numbers: [FROM_NUMBER],
        timezone: 'Europe/Paris',
        calling_window: {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          hours: [{ start: '00:00', end: '24:00' }],
        },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    settingsCampaignId = id;
    await page.goto(`${base}/app#/campaigns/${id}/settings`);
    const hours = page.getByLabel('Calling hours (each lead’s local time)');
    await expect(hours.inputValue()).resolves.toBe('00:00-24:00');
    for (const day of ['Mon', 'Sat', 'Sun']) {
      await expect(
        page.locator('[data-setting="calling_window.days"]').getByLabel(day).isChecked(),
      ).resolves.toBe(true);
    }
    // A refused value: the API's message under that field, nothing saved.
    const atOnce = page.getByLabel('Calls at once (max)');
    await atOnce.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const problem = page.locator('[data-setting="max_concurrent_calls"] .field-error');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/max_concurrent_calls|at least 1|1/);
    await expect(atOnce.getAttribute('aria-invalid')).resolves.toBe('true');
    await atOnce.fill('2');
    await page.getByLabel('Minutes between attempts').fill('15');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = (await (
      await fetch(`${base}/v1/campaigns/${id}`, { headers: { 'X-Api-Key': TEST_API_KEY } })
    ).json()) as { max_concurrent_calls: number; retry: { delay_minutes: number } };
    expect(saved.max_concurrent_calls).toBe(2);
    expect(saved.retry.delay_minutes).toBe(15);

    // The schedule read out in words and its next three runs, in the campaign's zone (not the
    // browser's New York), each labelled with it.
    await page.getByLabel('Cron expression (minute hour day month weekday)').fill('0 19 * * 1-5');
    await page.locator('.cron-reading', { hasText: 'Monday through Friday' }).waitFor();
    expect(await page.locator('.cron-reading').textContent()).toBe(
      'At 19:00, Monday through Friday, Europe/Paris',
    );
    const runs = page.locator('.next-runs li');
    await runs.nth(2).waitFor();
    await expect(page.locator('.next-runs .label').textContent()).resolves.toBe(
      'Next three runs (Europe/Paris)',
    );
    for (const text of await runs.allTextContents())
      expect(text).toMatch(/7:00 PM \(Europe\/Paris\)$/);
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();

    // A test call to one's own phone, listed with its status.
    await page.getByLabel('Your phone number').fill('+33612345677');
    await page.getByLabel('Variables for this call (JSON, optional)').fill('{"prenom": "Camille"}');
    await page.getByRole('button', { name: 'Call this number' }).click();
    await page.locator('.test-call', { hasText: '+33612345677' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('08-settings', true);
  });

  it('keeps the do-not-call list: adds one, many or a CSV, searches, removes after asking', async () => {
    await page.getByRole('link', { name: 'Do not call' }).click();
    await page.getByRole('heading', { name: 'Do-not-call list' }).waitFor();
    await page.getByText('The list is empty').waitFor();
    await page
      .getByLabel('Numbers (one per line, or separated by commas)')
      .fill('06 11 22 33 44\n+33655667788');
    await page.getByLabel('Reason', { exact: true }).fill('Demande client');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.locator('.dnc-result', { hasText: '2 added' }).waitFor();
    const rows = page.locator('table.dnc tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      '+33611223344',
      'Demande client',
      '—',
      expect.stringMatching(/\(America\/New_York\)$/),
      'Remove',
    ]);

    await page.getByLabel('CSV file of numbers').setInputFiles({
      name: 'optout.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('phone,reason\n0677889900,opt-out e-mail\n'),
    });
    await page.getByRole('button', { name: 'Upload the file' }).click();
    await page.locator('.dnc-result', { hasText: '1 added' }).waitFor();
    await page.getByText('opt-out e-mail').waitFor();

    await page.getByLabel('Search by number or reason').fill('06 55 66');
    await waitFor('the search to narrow the list', async () => (await rows.count()) === 1);
    await expect(rows.first().locator('td').first().textContent()).resolves.toBe('+33655667788');
    await shot('12-do-not-call', true);

    await page.getByRole('button', { name: 'Remove +33655667788 from the list' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).click();
    await expect(rows.count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Remove +33655667788 from the list' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from the list' }).click();
    await page.getByText('+33655667788 was removed from the list.').waitFor();
    const left = (await (
      await fetch(`${base}/v1/suppressions`, { headers: { 'X-Api-Key': TEST_API_KEY } })
    ).json()) as { data: { phone: string }[] };
    expect(left.data.map((x) => x.phone)).toEqual(['+33611223344', '+33677889900']);
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('says on the campaign page why the service paused a campaign', async () => {
    const api = (path: string, init: { method: string; body?: string; type?: string }) =>
      fetch(`${base}/v1${path}`, {
        method: init.method,
        headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': init.type ?? 'application/json' },
        body: init.body,
      });
    const created = await api('/campaigns', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Relance refusée',
        agent_id: AGENT_ID,
        // Wall clock, any hour: the calling laws are tested in test/compliance.
        compliance: { rules: 'none' },
        from_numbers: [FROM_NUMBER],
        default_country: 'FR',
        calling_window: {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          hours: [{ start: '00:00', end: '24:00' }],
        },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    const leads = await api(`/campaigns/${id}/leads`, {
      method: 'POST',
      type: 'text/csv',
      body: 'phone,prenom\n06 12 34 99 01,Paul\n',
    });
    expect(leads.status).toBe(201);
    // The platform refuses the caller number: the service pauses the campaign (not the lead).
    sim.setFaults({
      failNext: {
        status: 400,
        count: 1,
        route: 'POST /calls/phone',
        message: 'Phone number does not belong to the organization',
      },
    });
    expect((await api(`/campaigns/${id}/start`, { method: 'POST' })).status).toBe(200);
    await page.goto(`${base}/app#/campaigns/${id}/overview`);
    const note = page.locator('.pause-note');
    await note
      .filter({ hasText: 'Paused by the service: CallRounded refused the calls.' })
      .waitFor({ timeout: 20_000 });
    await expect(note.textContent()).resolves.toContain(
      'Phone number does not belong to the organization',
    );
    await shot('14-paused-by-service');
  });

  it('shows each role only what it may do: a viewer no action, a manager the actions, compliance the do-not-call list', async () => {
    const keyFor = async (role: string) => {
      const res = await fetch(`${base}/v1/api-keys`, {
        method: 'POST',
        headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `${role} desk`, role }),
      });
      return ((await res.json()) as { key: string }).key;
    };
    const signIn = async (role: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await context.newPage();
      p.on('pageerror', (error) => pageProblems.push(`page error (${role}): ${error.message}`));
      await p.goto(`${base}/app`);
      await p.getByLabel('API key', { exact: true }).fill(await keyFor(role));
      await p.getByRole('button', { name: 'Continue' }).click();
      await p
        .locator('#role-badge', { hasText: `${role[0].toUpperCase()}${role.slice(1)} key` })
        .waitFor();
      return { context, p };
    };
    const done = `#${campaignUrl.split('#')[1]}`;
    const actionButtons = (p: Page) =>
      p.locator('.actions[aria-label="Campaign actions"] button').allTextContents();

    // The viewer: reads everything, presses nothing.
    const viewer = await signIn('viewer');
    await viewer.p.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await expect(viewer.p.getByRole('link', { name: 'New campaign' }).count()).resolves.toBe(0);
    await expect(viewer.p.getByRole('link', { name: 'Do not call' }).isVisible()).resolves.toBe(
      false,
    );
    await viewer.p.goto(`${base}/app${done}/overview`);
    await viewer.p.locator('#progress-figure').waitFor();
    expect(await actionButtons(viewer.p)).toEqual([]);
    await viewer.p.screenshot({ path: join(SHOTS, '15-viewer.png') });
    await expect(viewer.p.getByRole('link', { name: 'Import leads' }).count()).resolves.toBe(0);
    await viewer.p.getByRole('button', { name: 'Download the report as XLSX' }).waitFor();
    await viewer.p.goto(`${base}/app#/campaigns/${settingsCampaignId}/settings`);
    await viewer.p.getByText('Your key may read these settings, not change them.').waitFor();
    await expect(viewer.p.getByRole('button', { name: 'Save settings' }).count()).resolves.toBe(0);
    await expect(viewer.p.getByRole('button', { name: 'Save schedule' }).count()).resolves.toBe(0);
    await expect(viewer.p.getByLabel('Calls at once (max)').isDisabled()).resolves.toBe(true);
    await expect(viewer.p.getByRole('heading', { name: 'Test call' }).count()).resolves.toBe(0);
    await viewer.p.goto(`${base}/app#/new`);
    await viewer.p.getByRole('heading', { name: 'Not for this key' }).waitFor();
    await viewer.context.close();

    // The manager: the lifecycle actions, the import, the settings; no removal from the list.
    const manager = await signIn('manager');
    await manager.p.goto(`${base}/app${done}/overview`);
    await manager.p.getByRole('button', { name: 'Call again those not reached' }).waitFor();
    expect(await actionButtons(manager.p)).toEqual(['Call again those not reached']);
    await manager.p.getByRole('link', { name: 'Import leads' }).waitFor();
    await manager.p.getByRole('button', { name: 'Call again those not reached' }).click();
    const dialog = manager.p.getByRole('dialog');
    await dialog.getByLabel('Extra attempts per lead').fill('3');
    for (const box of ['Failed', 'Exhausted', 'Expired'])
      await dialog.getByLabel(new RegExp(`^${box} \\(`)).uncheck();
    await dialog.getByRole('button', { name: 'Call them again' }).click();
    await dialog.locator('.field-error', { hasText: 'statuses' }).waitFor();
    await dialog.getByRole('button', { name: 'Not now' }).click();
    await manager.p.goto(`${base}/app#/campaigns/${settingsCampaignId}/settings`);
    await manager.p.getByRole('button', { name: 'Save settings' }).waitFor();
    await manager.p.goto(`${base}/app#/do-not-call`);
    await manager.p.getByRole('button', { name: 'Add to the list' }).waitFor();
    await manager.p.locator('table.dnc tbody tr').first().waitFor();
    await expect(
      manager.p.getByRole('button', { name: /^Remove .* from the list$/ }).count(),
    ).resolves.toBe(0);
    await manager.context.close();

    // Compliance: no campaigns; the do-not-call list, removals included, is its home page.
    const compliance = await signIn('compliance');
    await compliance.p.getByRole('heading', { name: 'Do-not-call list' }).waitFor();
    await expect(
      compliance.p.getByRole('link', { name: 'Campaigns', exact: true }).isVisible(),
    ).resolves.toBe(false);
    await compliance.p.locator('table.dnc tbody tr').first().waitFor();
    await expect(
      compliance.p.getByRole('button', { name: /^Remove .* from the list$/ }).count(),
    ).resolves.toBeGreaterThan(0);
    await compliance.context.close();
  });

  it('speaks French in a French browser, with French numbers and dates, and switches to English', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const fr = await context.newPage();
    fr.on('pageerror', (error) => pageProblems.push(`page error (fr): ${error.message}`));
    await fr.goto(`${base}/app`);
    await fr.getByRole('heading', { name: 'Saisissez votre clé d’API' }).waitFor();
    await expect(fr.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await fr.getByLabel('Clé d’API', { exact: true }).fill(TEST_API_KEY);
    await fr.getByRole('button', { name: 'Continuer' }).click();
    await fr.getByRole('heading', { name: 'Campagnes' }).waitFor();
    await fr.getByRole('link', { name: 'Nouvelle campagne' }).first().waitFor();

    await fr.goto(`${base}/app#/campaigns/${settingsCampaignId}/settings`);
    await fr.getByRole('heading', { name: 'Réglages' }).waitFor();
    await fr.locator('.cron-reading', { hasText: 'de lundi à vendredi' }).waitFor();
    await expect(fr.locator('.next-runs .label').textContent()).resolves.toBe(
      'Trois prochaines exécutions (Europe/Paris)',
    );
    // French dates: "7 déc. 2026, 19:00 (Europe/Paris)".
    for (const text of await fr.locator('.next-runs li').allTextContents())
      expect(text).toMatch(/^\d{1,2} [a-zéû]+\.? \d{4}(,| à) 19:00 \(Europe\/Paris\)$/);
    await fr.screenshot({ path: join(SHOTS, '13-settings-fr.png'), fullPage: true });

    // Texts that were English only: none left on the French pages, read or announced.
    const ENGLISH_ONLY = [
      'Call again those not reached',
      'leads shown',
      'Transcript',
      'Rows read',
      'Pause when the platform fails',
      'Failed share',
      'Add a status rule',
      'Calling laws',
      'every rule holds',
      'Interval 1 start',
      'Rule 1:',
      'Progress of',
      'leads done',
      'Outcome funnel',
      'Paused by',
    ];
    const pageText = () =>
      fr.evaluate<string>(`[document.body.innerText,
        ...[...document.querySelectorAll('[aria-label],[placeholder],[title],[aria-valuetext]')]
          .flatMap((e) => ['aria-label', 'placeholder', 'title', 'aria-valuetext'].map((a) => e.getAttribute(a) ?? ''))].join('\\n')`);
    const done = `#${campaignUrl.split('#')[1]}`;
    const english: string[] = [];
    for (const hash of [
      `${done}/overview`,
      `${done}/leads`,
      `#/campaigns/${settingsCampaignId}/settings`,
      '#/new',
      '#/',
    ]) {
      await fr.goto(`${base}/app${hash}`);
      await waitFor(`${hash} to load`, async () =>
        fr.evaluate(`document.querySelectorAll('.loading').length === 0`),
      );
      if (hash === '#/new') {
        await fr.getByRole('button', { name: 'Ajouter une règle', exact: true }).click();
      }
      if (hash.endsWith('/leads')) await fr.locator('table.leads tbody tr').first().waitFor();
      const text = await pageText();
      for (const words of ENGLISH_ONLY) if (text.includes(words)) english.push(`${hash}: ${words}`);
    }
    expect(english).toEqual([]);

    await fr.goto(`${base}/app#/campaigns/${settingsCampaignId}/settings`);
    await fr.getByRole('heading', { name: 'Réglages' }).waitFor();
    await fr.getByLabel('Langue').selectOption('en');
    await fr.getByRole('heading', { name: 'Settings' }).waitFor();
    await expect(fr.locator('html').getAttribute('lang')).resolves.toBe('en');
    await context.close();
  });

  it('fits a 390 px phone on every page (no sideways scroll) with no serious accessibility problem', async () => {
    const axeSource = await readFile(
      join(process.cwd(), 'node_modules/axe-core/axe.min.js'),
      'utf8',
    );
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-US',
      isMobile: true,
      hasTouch: true,
    });
    const phone = await context.newPage();
    phone.on('pageerror', (error) => pageProblems.push(`page error (390): ${error.message}`));
    await phone.goto(`${base}/app`);
    await phone.getByLabel('API key', { exact: true }).fill(TEST_API_KEY);
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.getByRole('heading', { name: 'Campaigns' }).waitFor();
    const done = `#${campaignUrl.split('#')[1]}`;
    const pages = [
      '#/',
      '#/new',
      '#/do-not-call',
      `${done}/overview`,
      `${done}/leads`,
      `${done}/import`,
      `#/campaigns/${settingsCampaignId}/settings`,
    ];
    const problems: string[] = [];
    for (const hash of pages) {
      await phone.goto(`${base}/app${hash}`);
      await waitFor(`${hash} to load`, async () =>
        phone.evaluate(`document.querySelectorAll('.loading').length === 0`),
      );
      await phone.waitForTimeout(300); // late content (the report, the preview) laid out
      // Against the phone's 390 px, not innerWidth: a mobile browser widens its layout
      // viewport to fit content that overflows, and innerWidth then grows with it.
      const width = await phone.evaluate<{ scroll: number; inner: number }>(
        `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`,
      );
      if (Math.max(width.scroll, width.inner) > 390)
        problems.push(`${hash}: ${width.scroll} px wide (layout ${width.inner} px) > 390 px`);
      await phone.evaluate(axeSource);
      const violations = await phone.evaluate<{ id: string; impact: string; nodes: number }[]>(`
        axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((r) =>
          r.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).join(', ') })))`);
      for (const v of violations) problems.push(`${hash}: ${v.impact} ${v.id} at ${v.nodes}`);
      if (hash === '#/' || hash.endsWith('/overview') || hash.endsWith('/settings'))
        await phone.screenshot({
          path: join(SHOTS, `390-${hash.split('/').pop() || 'campaigns'}.png`),
          fullPage: true,
        });
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('ran without a script error or a refused resource', () => {
    expect(pageProblems).toEqual([]);
  });
});
