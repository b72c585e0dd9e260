/**
 * Debian's Chromium (/usr/bin/chromium), driven by playwright-core: never a browser download.
 * Each browser gets a fresh profile directory; every console error and page error is collected so
 * a test can assert that a page ran cleanly.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Flags that work on these machines (no sandbox as root, no GPU, nothing phoning home). */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export interface HeadlessBrowser {
  context: BrowserContext;
  /** A new page whose console errors and uncaught exceptions land in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1366, height: 900 }): Promise<HeadlessBrowser> {
  if (CHROMIUM_PATH === undefined) throw new Error('no Chromium at /usr/bin/chromium: apt-get install chromium');
  const profile = mkdtempSync(join(tmpdir(), 'quorumcheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, viewport, offline: false,
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      return { page, errors };
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser, Page };
