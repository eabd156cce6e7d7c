/**
 * Preloaded into `cco status --watch` by soak-probe.mjs (node --expose-gc --import): on SIGUSR2,
 * runs a full GC and writes the process's memory figures to stderr as one `SOAK {json}` line.
 * Nothing else: the command itself runs unchanged.
 */
import fs from 'node:fs';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const memory = { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
  fs.writeSync(2, `SOAK ${JSON.stringify({ memory })}\n`);
});
