import { type Browser, chromium, type Page } from 'playwright';

/** Debian's Chromium with the flags that work on these machines (FACTS.md). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const desktop = { width: 1280, height: 900 };
export const phone = { width: 390, height: 844 };

/**
 * How many pixels of the viewer's canvas are not black: the proof that an image was decoded and
 * drawn, not just that a canvas exists.
 */
export async function countNonBlackPixels(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const source = element as HTMLCanvasElement;
      const copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      const context = copy.getContext('2d');
      if (!context) return -1;
      context.drawImage(source, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      let count = 0;
      for (let index = 0; index < data.length; index += 4) {
        if ((data[index] ?? 0) + (data[index + 1] ?? 0) + (data[index + 2] ?? 0) > 30) count++;
      }
      return count;
    });
}

/** Records every HTTP error the page meets, so a failed step can say which request broke. */
export function recordFailedRequests(page: Page): string[] {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400)
      failed.push(`${response.status()} ${new URL(response.url()).pathname.slice(0, 120)}`);
  });
  return failed;
}

/**
 * Waits until the viewer's canvas shows an image; otherwise fails saying which requests broke.
 * The image loader fetches frames from a worker, out of the page's sight, so the archive's own
 * log (its warnings name the route and status) is searched too.
 */
export async function expectImageDrawn(
  page: Page,
  failed: string[],
  archiveLog: () => string,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while (Date.now() < deadline) {
    count = await countNonBlackPixels(page, 'canvas.cornerstone-canvas').catch(() => 0);
    if (count > 1000) return count;
    await page.waitForTimeout(500);
  }
  const frameRejections = archiveLog()
    .split('\n')
    .filter((line) => line.includes('/frames/') && /"status":40[13]/.test(line));
  throw new Error(
    `no image was drawn on the viewer's canvas (${count} non-black pixels). ` +
      (frameRejections.length > 0
        ? `The archive refused ${frameRejections.length} frame request(s) with 401/403: the viewer must send the session's Authorization header (requestHeaders).`
        : `Failed requests seen by the page: ${failed.slice(0, 5).join('; ') || 'none'}.`),
  );
}
