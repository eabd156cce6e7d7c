/**
 * The popover under Playwright: Debian's Chromium, the renderer bundle built from source, and a
 * `window.cco` whose calls reach the real IPC handlers (main/app/ipc-handlers.ts) over the real
 * core actions and a real Engine. Nothing here answers for the handlers: the binding only carries
 * the channel and payload across.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { INVOKE_CHANNELS, PUSH_CHANNELS, type InvokeName } from '../../shared/ipc.js';
import type { IpcHandlers } from '../../main/app/ipc-handlers.js';
import { POPOVER_SIZE } from '../../main/app/popover-size.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CCO_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const POPOVER_HTML = path.join(REPO, 'renderer', 'index.html');
export const BUNDLE = path.join(REPO, 'renderer', 'dist', 'popover.js');
export const SCREENSHOTS = path.join(REPO, 'test', 'e2e', 'screenshots');
/** The popover window's real size (CSS pixels), the BrowserWindow's own. */
export const VIEWPORT = { ...POPOVER_SIZE };

/** Builds renderer/dist/popover.js with the same options as `npm run bundle:renderer`; returns its size in bytes. */
export async function buildRendererBundle(): Promise<number> {
  await build({
    entryPoints: [path.join(REPO, 'renderer', 'src', 'popover.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    outfile: BUNDLE,
    banner: { js: '/* Built by npm run bundle:renderer from renderer/src; not linted. */ /* eslint-disable */' },
    logLevel: 'warning',
  });
  return fs.statSync(BUNDLE).size;
}

/** The page side of the bridge (page-bridge.ts) as one script. */
async function pageBridgeScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(REPO, 'test', 'e2e', 'page-bridge.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('page bridge: esbuild wrote nothing');
  return file.text;
}

const CHANNEL_NAMES = new Map<string, InvokeName>(Object.entries(INVOKE_CHANNELS).map(([name, channel]) => [channel, name as InvokeName]));

export interface PopoverBrowser {
  context: BrowserContext;
  /** Every call the page made, in order: [handler name, payload]. */
  calls: [InvokeName, unknown][];
  /** Opens the popover in a new page with the bridge installed (and optional extra init script). */
  open(options?: { initScript?: string }): Promise<Page>;
  /** Pushes a Snapshot to every open page, as the main process does on `cco:snapshot`. */
  pushSnapshot(snapshot: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  handlers: IpcHandlers;
  locale?: string;
  timezoneId?: string;
}

export async function launchPopover(options: LaunchOptions): Promise<PopoverBrowser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium), or point CCO_CHROMIUM at a Chromium binary`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    deviceScaleFactor: 2,
    locale: options.locale ?? 'en-US',
    timezoneId: options.timezoneId ?? 'America/New_York',
    offline: true,
  });
  const calls: [InvokeName, unknown][] = [];
  await context.exposeBinding('__ccoInvoke', async (_source, channel: unknown, args: unknown) => {
    const name = typeof channel === 'string' ? CHANNEL_NAMES.get(channel) : undefined;
    if (name === undefined) throw new Error(`unknown IPC channel ${String(channel)}`);
    const payload = Array.isArray(args) ? args[0] : undefined;
    calls.push([name, payload]);
    return options.handlers[name](payload);
  });
  await context.addInitScript({ content: await pageBridgeScript() });
  return {
    context,
    calls,
    async open(openOptions = {}) {
      const page = await context.newPage();
      if (openOptions.initScript) await page.addInitScript({ content: openOptions.initScript });
      await page.goto(pathToFileURL(POPOVER_HTML).href);
      return page;
    },
    async pushSnapshot(snapshot) {
      await Promise.all(
        context.pages().map((page) =>
          page
            .evaluate(([channel, value]) => (globalThis as unknown as { __ccoPush?: (c: string, v: unknown) => void }).__ccoPush?.(channel, value), [PUSH_CHANNELS.snapshot, snapshot] as const)
            // A page that is navigating or closing misses this Snapshot; the next one reaches it.
            .catch(() => undefined),
        ),
      );
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a screenshot only when its bytes changed, so an unchanged popover leaves the committed file alone. */
export function saveScreenshot(name: string, png: Buffer): string {
  const file = path.join(SCREENSHOTS, name);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const same = fs.existsSync(file) && fs.readFileSync(file).equals(png);
  if (!same) fs.writeFileSync(file, png);
  return file;
}

/** The document as page functions see it, typed without the DOM library (the tests compile for Node). */
interface PageDocument {
  activeElement: { id: string; tagName: string; getAttribute(name: string): string | null; blur?: () => void } | null;
  getElementById(id: string): { hidden: boolean; scrollTo(x: number, y: number): void } | null;
}

/** The focused element's id, else its aria-label, else its tag name. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as { document: PageDocument }).document.activeElement;
    return active ? active.id || active.getAttribute('aria-label') || active.tagName : '';
  });
}

/** Moves focus off everything and scrolls the content back to the top. */
export async function resetView(page: Page): Promise<void> {
  await page.evaluate(() => {
    const d = (globalThis as unknown as { document: PageDocument }).document;
    d.activeElement?.blur?.();
    d.getElementById('content')?.scrollTo(0, 0);
  });
}

/** Whether the result sheet or the planner's decision is showing. */
export function panelOpen(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: PageDocument }).document;
    return d.getElementById('sheet')?.hidden === false || d.getElementById('decision')?.hidden === false;
  });
}

/** First-contentful-paint of the page, in ms from navigation start (NaN when Chromium reported none). */
export function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(() => {
    const perf = (globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string; startTime: number }[] } }).performance;
    return perf.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint')?.startTime ?? Number.NaN;
  });
}
