import { stat } from 'node:fs/promises';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktop, expectImageDrawn, launchChromium, phone, recordFailedRequests } from './browser.js';
import { type DemoArchiveProcess, startDemoArchive } from './demoArchive.js';

// The whole demo, as a newcomer meets it: the built archive with its sample data and the built
// portal on the same origin, in real Chromium, at desktop and at phone width. Each viewport gets a
// fresh archive, so the patient's consent and the radiologist's report happen on both.

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  ['desktop', desktop],
  ['phone', phone],
])('the demo portal at %s width', (_name, viewport) => {
  let archive: DemoArchiveProcess;

  beforeAll(async () => {
    archive = await startDemoArchive();
  });

  afterAll(async () => {
    await archive?.stop();
  });

  /** Opens a page, runs the steps, and always closes it. */
  async function withPage(steps: (page: Page, failed: string[]) => Promise<void>): Promise<void> {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    const failed = recordFailedRequests(page);
    try {
      await steps(page, failed);
    } finally {
      await page.close();
    }
  }

  /** Signs in and waits for the panel's heading; fails saying why when the portal refuses. */
  async function signIn(page: Page, failed: string[], username: string, password: string, heading: string) {
    await page.goto(`${archive.url}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const landed = page.getByRole('heading', { name: heading, level: 1 });
    const refused = page.getByRole('alert');
    await landed.or(refused).first().waitFor({ timeout: 30_000 });
    if (await refused.isVisible()) {
      const noApi = failed.some((line) => line.startsWith('404 /api/v1/auth/token'));
      throw new Error(
        `signing in as ${username} failed: "${await refused.textContent()}"` +
          (noApi ? ' — the archive answers 404 on /api/v1/auth/token: the workflow API is not mounted.' : ''),
      );
    }
  }

  async function openStudy(page: Page, patientId: string, modality: string) {
    await page.getByLabel('Patient ID').fill(patientId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The list first shows every study; wait until only the searched patient's remain.
    const rows = page.getByRole('row').filter({ hasText: 'PKD-' });
    const others = rows.filter({ hasNotText: patientId });
    await expect
      .poll(async () => (await rows.count()) > 0 && (await others.count()) === 0, { timeout: 20_000 })
      .toBe(true);
    await rows.filter({ hasText: modality }).first().click();
  }

  test('a radiologist finds a study, opens it and sees its pixels', async () => {
    await withPage(async (page, failed) => {
      await signIn(page, failed, 'radiologist', archive.demoPassword, 'Provider panel');
      await openStudy(page, 'PKD-1002', 'CT');
      await page.getByRole('button', { name: 'Open viewer' }).click();
      expect(await expectImageDrawn(page, failed, archive.output)).toBeGreaterThan(1000);
    });
  });

  test('a radiologist writes and finalises the report of that study', async () => {
    await withPage(async (page, failed) => {
      await signIn(page, failed, 'radiologist', archive.demoPassword, 'Provider panel');
      await openStudy(page, 'PKD-1002', 'CT');
      const report = page.getByRole('region', { name: 'Report' });
      await report.waitFor({ timeout: 20_000 });
      await report.getByLabel('Findings').fill('No intracranial haemorrhage. No fracture.');
      await report.getByLabel('Impression').fill('Normal CT of the head.');
      await report.getByLabel('Patient summary').fill('Your head scan is normal.');
      await report.getByRole('button', { name: 'Sign off (final)' }).click();
      await expect
        .poll(() => report.getByRole('status').textContent(), { timeout: 20_000 })
        .toContain('Final');
    });
  });

  test("the archive answers a patient's own token with their studies only", async () => {
    const token = await fetch(`${archive.url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'patient2', password: archive.demoPassword }),
    });
    expect(token.status, 'POST /api/v1/auth/token for the demo patient').toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    // No PatientID in the query: the archive itself must narrow the answer to the patient's scope.
    const studies = await fetch(`${archive.url}/dicom-web/studies`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/dicom+json' },
    });
    expect(studies.status).toBe(200);
    const patientIds = ((await studies.json()) as { '00100020'?: { Value?: string[] } }[]).map(
      (study) => study['00100020']?.Value?.[0],
    );
    expect(patientIds.length).toBeGreaterThan(0);
    expect(new Set(patientIds)).toEqual(new Set(['PKD-1002']));
  });

  test('a patient gives consent, sees only their own studies, reads the summary and downloads', async () => {
    await withPage(async (page, failed) => {
      await signIn(page, failed, 'patient', archive.demoPassword, 'My imaging');
      await page.getByLabel('I understand and want to see my images').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      // Jane has a head CT and a brain MR; the archive holds six studies of four patients.
      await page.getByRole('heading', { name: 'My studies' }).waitFor({ timeout: 20_000 });
      const studies = page.locator('.pacs-timeline-item');
      await expect.poll(() => studies.count(), { timeout: 20_000 }).toBe(2);

      // Newest first: the CT, whose final report has a plain-language summary, is the second.
      await studies.nth(1).getByRole('button').click();
      await page.getByText('small bruise on the right front part of the brain').waitFor({ timeout: 20_000 });

      const download = page.waitForEvent('download', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Download DICOM (ZIP)' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/\.zip$/);
      const path = await file.path();
      expect((await stat(path)).size).toBeGreaterThan(100_000);
    });
  });
});
