import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktop, expectImageDrawn, launchChromium, phone, recordFailedRequests } from './browser.js';
import { type DemoArchiveProcess, startDemoArchive } from './demoArchive.js';

let archive: DemoArchiveProcess;
let browser: Browser;

beforeAll(async () => {
  archive = await startDemoArchive();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await archive?.stop();
});

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${archive.url}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.each([
  ['desktop', desktop],
  ['phone', phone],
])('the demo portal at %s width', (_name, viewport) => {
  test('a provider signs in, finds a study, opens it and sees its pixels', async () => {
    const page = await browser.newPage({ viewport });
    const failed = recordFailedRequests(page);
    try {
      await signIn(page, 'admin', archive.adminPassword);
      await expect.poll(() => page.getByRole('heading', { name: 'Provider panel' }).count()).toBe(1);

      // Find John's studies by patient ID: only his two rows remain.
      await page.getByLabel('Patient ID').fill('PKD-1002');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const rows = page.getByRole('row').filter({ hasText: 'PKD-' });
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.filter({ hasText: 'PKD-1002' }).count()).toBe(2);

      // Open the head CT and wait for a decoded image on the viewer's canvas.
      await rows.filter({ hasText: 'CT' }).first().click();
      await page.getByRole('button', { name: 'Open viewer' }).click();
      expect(await expectImageDrawn(page, failed)).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  });
});
