/**
 * Bench section: the other features' targets, on the same history and on generated queues.
 * - context (issue 5): `cco context --json` for the active session, whole process; the full
 *   breakdown of the history's largest transcript, streamed from its start, in-process.
 * - planner (issue 6): a decision over a 1,000-session queue; the export of 1,000 events.
 * - app (issue 4): Snapshot -> tray view (the pure policy the tray applies); renderer bundle size.
 * Everything runs the built code in dist/ (npm run bench builds first).
 */
import fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { median } from '../lib/measure.mjs';

const time = (fn, runs) => {
  const times = [];
  let result;
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), min: Math.min(...times), result };
};

/** @param {{root: string, dataDir: string, meta: object, log: (s: string) => void}} ctx */
export async function featuresSection(ctx) {
  const { root, dataDir, meta, log } = ctx;
  const dist = (p) => path.join(root, 'dist', p);
  const failures = [];
  const rows = [];

  log('features: cco context --json (whole process) x 5');
  const contextRuns = [];
  for (let i = 0; i < 5; i += 1) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin/cco.js'), 'context', '--json', '--config-dir', dataDir], { encoding: 'utf8', cwd: os.tmpdir() });
    contextRuns.push(performance.now() - t);
    if (r.status !== 0) failures.push(`cco context exited ${r.status}: ${r.stderr.slice(0, 200)}`);
  }
  rows.push(['`cco context --json`, active session, whole process (2,000-file history)', `${median(contextRuns).toFixed(0)} ms`, 'target < 100 ms of own work; Node start included']);

  const { analyzeSession } = await import(dist('main/core/context/analyze.js'));
  const largest = meta.history.largestFiles?.[0];
  if (largest) {
    const file = path.join(dataDir, largest.file);
    if (fs.existsSync(file)) {
      log(`features: full breakdown of ${path.basename(file)} (${(largest.bytes / 1e6).toFixed(0)} MB) x 3`);
      const full = time(() => analyzeSession(file, { from: 'start' }), 3);
      const tail = time(() => analyzeSession(file, { from: 'last-compact' }), 3);
      rows.push([`breakdown + opportunities of a ${(largest.bytes / 1e6).toFixed(0)} MB transcript, streamed from its start`, `${full.ms.toFixed(0)} ms`, 'target < 1 s for 50 MB']);
      rows.push(['the same from its last compaction (what `cco context` reads)', `${tail.ms.toFixed(1)} ms`, '']);
    } else failures.push(`largest transcript not found: ${file}`);
  }

  log('features: planner over 1,000 sessions, calendar export of 1,000 events');
  const { emptyQueue } = await import(dist('shared/queue-snapshot.js'));
  const { addSession, scheduleSession } = await import(dist('main/core/planner/queue.js'));
  const { planNext } = await import(dist('main/core/planner/planner.js'));
  const { writeCalendar } = await import(dist('main/core/planner/calendar.js'));
  const now = Date.parse('2026-06-01T09:00:00.000Z');
  const queue = emptyQueue();
  for (let i = 0; i < 1000; i += 1) {
    const deps = i > 0 && i % 3 === 0 ? [`s${i}`] : [];
    addSession(queue, { name: `Session ${i + 1}`, project: os.tmpdir(), objectives: [`Objective ${i}; with "quotes", commas`], estimatedTokens: 10_000 + (i % 50) * 1000, estimatedHours: 1 + (i % 4), dependencies: deps }, now);
  }
  const quota = { limit: 200_000, used: 160_000, remaining: 40_000, percentUsed: 80, level: 'high', resetTime: new Date(now + 2 * 3_600_000).toISOString(), resetSource: 'window', weekly: null };
  const decision = time(() => planNext({ queue, now, hours: 3, quota, autoScheduleAtCritical: true }), 20);
  rows.push(['planner decision over a 1,000-session queue', `${decision.ms.toFixed(2)} ms`, `target < 10 ms; decision: ${decision.result.decision}`]);
  for (const [i, session] of queue.sessions.entries()) scheduleSession(session, now + (i + 1) * 3_600_000, 'user', now);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bench-cal-'));
  const exported = time(() => writeCalendar(queue, dir), 1);
  rows.push(['calendar export of 1,000 events (1,000 session-N.ics + sessions.ics), fresh directory', `${exported.ms.toFixed(0)} ms`, 'target < 1 s']);
  fs.rmSync(dir, { recursive: true, force: true });

  log('features: tray view from a Snapshot; renderer bundle');
  const { trayView } = await import(dist('main/app/tray-policy.js'));
  const snapshot = JSON.parse(spawnSync(process.execPath, [path.join(root, 'bin/cco.js'), 'status', '--json', '--config-dir', dataDir], { encoding: 'utf8' }).stdout);
  const tray = time(() => trayView(snapshot, 'linux'), 200);
  rows.push(['Snapshot -> tray view (icon, title, tooltip, menu)', `${tray.ms.toFixed(3)} ms`, 'target < 16 ms']);
  const bundle = path.join(root, 'renderer/dist/popover.js');
  if (fs.existsSync(bundle)) rows.push(['renderer bundle (renderer/dist/popover.js)', `${(fs.statSync(bundle).size / 1024).toFixed(1)} KB`, 'target < 200 KB']);

  const markdown = ['## Context, planner, calendar and app', '', '| measure | value | note |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  return { name: 'features', markdown, failures, disagreements: [], rows };
}

/**
 * The popover's first paint in Debian's Chromium (the page as the app loads it, from file://,
 * with a `window.cco` that answers the first Snapshot from the bench history), median of 5 loads.
 * Skipped with a note when Chromium is not installed.
 */
export async function popoverPaintSection(ctx) {
  const { root, dataDir, log } = ctx;
  const chromiumPath = process.env.CCO_CHROMIUM ?? '/usr/bin/chromium';
  const head = '## Popover first paint';
  if (!fs.existsSync(chromiumPath)) return { name: 'popover', markdown: `${head}\n\nSkipped: no Chromium at ${chromiumPath}.`, failures: [], disagreements: [], rows: [] };
  const { chromium } = await import('playwright-core');
  const snapshot = spawnSync(process.execPath, [path.join(root, 'bin/cco.js'), 'status', '--json', '--config-dir', dataDir], { encoding: 'utf8' }).stdout;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cco-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const paints = [];
  try {
    // A read-only bridge: the first Snapshot is all a paint needs; actions are not pressed here.
    await context.addInitScript((json) => {
      const snap = JSON.parse(json);
      const none = () => Promise.reject(new Error('not in the bench'));
      globalThis.cco = new Proxy({ getSnapshot: () => Promise.resolve(snap), onSnapshot: () => () => {}, onBanner: () => () => {} }, { get: (t, k) => t[k] ?? none });
    }, snapshot);
    const url = `file://${path.join(root, 'renderer/index.html')}`;
    // One foreground page, loaded again and again (a background tab reports no paint timing).
    const page = context.pages()[0] ?? (await context.newPage());
    for (let i = 0; i < 8; i += 1) {
      await page.goto(`${url}?run=${i}`);
      const fcp = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const found = () => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
            const entry = found();
            if (entry) return resolve(entry.startTime);
            new globalThis.PerformanceObserver(() => resolve(found()?.startTime ?? null)).observe({ type: 'paint', buffered: true });
            setTimeout(() => resolve(null), 2000);
          }),
      );
      if (i > 0 && fcp !== null) paints.push(fcp);
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  log(`popover: first contentful paint ${paints.map((p) => p.toFixed(0)).join(', ')} ms`);
  const markdown = `${head}\n\n| measure | value | note |\n|---|---|---|\n| first contentful paint, headless Chromium, median of ${paints.length} loads (first load unmeasured) | ${median(paints).toFixed(0)} ms | target < 300 ms |`;
  return { name: 'popover', markdown, failures: [], disagreements: [], rows: [] };
}
