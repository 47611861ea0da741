// Debian's Chromium driven by playwright-core for the dashboard's browser tests. When it is absent the
// tests skip with a visible SKIPPED: line, and fail instead under CI (CI=true; .ci/run installs it).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.NEXTBEST_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run; logs SKIPPED: (or throws under CI) when Chromium is missing. */
export function chromiumPresent(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing; install it (apt-get install -y chromium), as .ci/run does`);
  console.warn(`SKIPPED: ${CHROMIUM} is absent, so the dashboard's browser tests are skipped (apt-get install -y chromium)`);
  return false;
}

/** Headless, with a fresh profile (launch() gives each browser its own new user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What a page logged as an error (console errors, uncaught exceptions, failed requests), collected as it runs. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

/** Per chart box (class "chart"), its label and how many pixels its canvases have drawn (not transparent). */
export function drawnPixels(page: Page): Promise<{ label: string; pixels: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.chart')].map((box) => {
      let pixels = 0;
      for (const canvas of box.querySelectorAll('canvas')) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) pixels++;
      }
      return { label: box.getAttribute('aria-label') ?? '', pixels };
    }),
  );
}
