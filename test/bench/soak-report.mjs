/**
 * Preloaded into `cco status --watch` by soak-probe.mjs (node --expose-gc --import). The command
 * itself runs unchanged; this only reports and, when asked, moves the clock:
 * - on SIGUSR2, runs a full GC (and, with SOAK_SETTLE_MS, another after that wait) and writes the
 *   process's memory figures to stderr as one `SOAK {json}` line;
 * - each time a transcript (`*.jsonl`) is read to its end, writes `SOAKREAD <offset> <epoch ms>`
 *   (how far the follower has read, whatever the panel shows);
 * - with SOAK_CLOCK=<epoch ms>, Date.now starts at that instant and runs at real speed; a
 *   `clock <epoch ms>` line on stdin moves it (answered with `SOAKCLOCK`), so the Engine's clock
 *   follows lines stamped hours apart while they are written seconds apart.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/** As soak-probe.mjs's SOAK_SETTLE_MS: the wait after the GC before RSS is read. */
const SETTLE_MS = Number(process.env.SOAK_SETTLE_MS ?? 0);

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const rssAtGc = process.memoryUsage.rss();
  if (SETTLE_MS === 0) report(rssAtGc);
  else {
    setTimeout(() => {
      globalThis.gc?.();
      report(rssAtGc);
    }, SETTLE_MS);
  }
});

function report(rssAtGc) {
  const m = process.memoryUsage();
  const memory = { rssAtGc, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
  fs.writeSync(2, `SOAK ${JSON.stringify({ memory })}\n`);
}

// Reads of a transcript to its end: a read at a known position that returns no bytes.
const transcripts = new Set();
const openSync = fs.openSync;
fs.openSync = function soakOpenSync(file, ...rest) {
  const fd = openSync.call(this, file, ...rest);
  if (String(file).endsWith('.jsonl')) transcripts.add(fd);
  else transcripts.delete(fd);
  return fd;
};
const readSync = fs.readSync;
fs.readSync = function soakReadSync(fd, buffer, offset, length, position, ...rest) {
  const n = readSync.call(this, fd, buffer, offset, length, position, ...rest);
  if (n === 0 && typeof position === 'number' && transcripts.has(fd)) fs.writeSync(2, `SOAKREAD ${position} ${performance.timeOrigin + performance.now()}\n`);
  return n;
};

if (process.env.SOAK_CLOCK) {
  const realNow = Date.now;
  let offset = Number(process.env.SOAK_CLOCK) - realNow();
  Date.now = () => realNow() + offset;
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text) => {
    pending += text;
    let nl;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('clock ')) {
        offset = Number(line.slice(6)) - realNow();
        fs.writeSync(2, 'SOAKCLOCK\n');
      }
    }
  });
} else {
  process.stdin.destroy();
}

// SOAK_TRACE=1: every raw file-system event the watcher gets, with the time (to find a missed write)...
if (process.env.SOAK_TRACE) {
  const watch = fs.watch;
  fs.watch = function soakWatch(target, ...rest) {
    const listener = typeof rest.at(-1) === 'function' ? rest.pop() : null;
    const traced = (event, name) => {
      fs.writeSync(2, `SOAKTRACE ${performance.timeOrigin + performance.now()} watch ${target} ${event} ${name}\n`);
      listener?.(event, name);
    };
    return watch.call(this, target, ...rest, traced);
  };
}
// ...the transcript's stats (the Engine's look at a file before it reads) and chokidar's events.
if (process.env.SOAK_TRACE) {
  const statSync = fs.statSync;
  fs.statSync = function soakStatSync(target, ...rest) {
    const stat = statSync.call(this, target, ...rest);
    if (String(target).endsWith('.jsonl')) fs.writeSync(2, `SOAKTRACE ${performance.timeOrigin + performance.now()} statSync ${stat?.size}\n`);
    return stat;
  };
  const { FSWatcher } = await import('chokidar');
  const emit = FSWatcher.prototype.emit;
  FSWatcher.prototype.emit = function soakEmit(event, ...args) {
    if (event !== 'raw') fs.writeSync(2, `SOAKTRACE ${performance.timeOrigin + performance.now()} chokidar ${event} ${String(args[0]).split('/').pop()}\n`);
    return emit.call(this, event, ...args);
  };
}
// Modules that import these functions by name (chokidar: `import { watch } from 'fs'`) see the wrappers too.
syncBuiltinESMExports();
