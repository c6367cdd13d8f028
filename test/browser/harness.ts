/**
 * What every browser test shares: the built app, Debian's Chromium with the flags this closed
 * network needs, the test server on a free port, and browser contexts closed at the end.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { App } from '../../src/http/context.js';
import { DEMO_PASSWORD } from '../../src/modules/portfolio/demo-data.js';

export const WEB_INDEX = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));
export const HAS_WEB = existsSync(WEB_INDEX);
/** Without the built app the browser tests are skipped locally; in CI that is a failure. */
export const SKIP_BROWSER = !HAS_WEB && !process.env.CI;
if (SKIP_BROWSER) console.warn(`[browser tests skipped] ${WEB_INDEX} is missing: run \`npm run build:web\` first (in CI this is a failure).`);

export const STEP_TIMEOUT_MS = 10_000;
export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// Without the background-networking flags Chromium keeps calling out of this closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium; the promise never goes unhandled if the caller fails before awaiting it. */
export function launchChromium(): Promise<Browser> {
  if (!HAS_WEB) throw new Error(`${WEB_INDEX} is missing: run \`npm run build:web\` before the browser tests.`);
  const launching = chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  launching.catch(() => undefined);
  return launching;
}

/** Listens on a free port of 127.0.0.1 and returns the base URL. */
export async function serve(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/** Browser contexts in Spanish (es-MX) against the server, each closed by `closeAll`. */
export class Contexts {
  private readonly open: BrowserContext[] = [];

  async create(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'es-MX', baseURL: baseUrl, ...options });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    this.open.push(context);
    return context;
  }

  /** A new context signed in as a demo user, on its home page. */
  async signedIn(browser: Browser, baseUrl: string, username: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.create(browser, baseUrl, options);
    const page = await context.newPage();
    await page.goto('/ingresar');
    await page.getByLabel('Usuario', { exact: true }).fill(username);
    await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByTestId('home-greeting').waitFor();
    return page;
  }

  async closeAll(): Promise<void> {
    for (const context of this.open) await context.close().catch(() => undefined);
  }
}

/** How many pixels the page is wider than a 360-px phone (0 or less: no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  return scrollWidth - 360;
}

/** Opens a page from the main navigation by its link and waits for its level-1 heading. */
export async function openFromMenu(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
