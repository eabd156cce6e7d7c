/**
 * Child of test/integration/engine-memory.test.ts: runs the built Engine (dist/) on a config root
 * through ROUNDS appends and recomputes, the clock moving a few ms each time as it does in a real
 * process, then counts Node's timer lists still on the heap (a heap snapshot: public API, no
 * timing) and prints {timerLists} as one JSON line.
 *   node test/helpers/engine-timers-child.mjs ROOT TRANSCRIPT ROUNDS
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { Engine } from '../../dist/main/core/engine.js';
import { loadSettings } from '../../dist/main/core/settings.js';

const [root, transcript, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const first = JSON.parse(fs.readFileSync(transcript, 'utf8').split('\n')[0]);
let now = Date.parse(first.timestamp) + 60_000;
// Every reading of the clock moves it on, so each recompute arms the reset timer with a new delay.
const clock = () => (now += 7);
const engine = new Engine({ roots: [root], loadSettings: () => loadSettings(root), clock, persist: false, debounceMs: 60_000 });
await engine.start();
for (let i = 0; i < rounds; i += 1) {
  const line = { ...first, uuid: `soak-${i}`, requestId: `req_soak_${i}`, timestamp: new Date(now).toISOString(), message: { ...first.message, id: `msg_soak_${i}` } };
  fs.appendFileSync(transcript, `${JSON.stringify(line)}\n`);
  // What the watcher's change event does (markDirty is private in TypeScript only), then the
  // recompute at once: deterministic, no waiting on file events.
  engine.markDirty(transcript);
  engine.refresh();
}
const messages = engine.snapshot?.quota.currentWindow?.messages ?? 0;

function countObjects(name) {
  const snapshot = JSON.parse(fs.readFileSync(v8.writeHeapSnapshot(`${root}/engine.heapsnapshot`), 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields.length;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields) {
    if (typeNames[snapshot.nodes[i]] === 'object' && snapshot.strings[snapshot.nodes[i + 1]] === name) count += 1;
  }
  return count;
}
const timerLists = countObjects('TimersList');
await engine.stop();
process.stdout.write(`${JSON.stringify({ timerLists, messages })}\n`);
