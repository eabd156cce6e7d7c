/**
 * Child of test/integration/engine-memory.test.ts: follows TRANSCRIPT with the built ledger
 * (dist/), as the Engine does, through ROUNDS appends of a few responses each, each appended to the
 * real file and read by a refresh; then counts, in a heap snapshot (public API, no timing), the
 * strings the ledger keeps for them: copies of the session id and the model name, and strings
 * holding a response's ids (its dedup key, or the pieces of a key held as a rope). Prints one JSON line.
 *   node test/helpers/ledger-strings-child.mjs TRANSCRIPT ROUNDS
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { TranscriptLedger } from '../../dist/main/core/transcripts/ledger.js';

const [transcript, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const PER_ROUND = 5;
const first = JSON.parse(fs.readFileSync(transcript, 'utf8').split('\n')[0]);
const start = Date.parse(first.timestamp);
const ledger = new TranscriptLedger();
const listing = () => {
  const stat = fs.statSync(transcript);
  return [{ path: transcript, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino }];
};
let n = 0;
for (let round = 0; round < rounds; round += 1) {
  const lines = [];
  for (let k = 0; k < PER_ROUND; k += 1, n += 1) {
    lines.push(JSON.stringify({ ...first, uuid: `u-${n}`, requestId: `req_mem_${n}`, timestamp: new Date(start + n * 1000).toISOString(), message: { ...first.message, id: `msg_mem_${n}` } }));
  }
  fs.appendFileSync(transcript, `${lines.join('\n')}\n`);
  ledger.refresh(listing(), start - 60_000);
}
const usage = ledger.events(start - 60_000, start + n * 1000 + 60_000).usage.length;

const snapshot = JSON.parse(fs.readFileSync(v8.writeHeapSnapshot(path.join(path.dirname(transcript), 'ledger.heapsnapshot')), 'utf8'));
const fields = snapshot.snapshot.meta.node_fields.length;
const types = snapshot.snapshot.meta.node_types[0];
const counts = { sessionId: 0, model: 0, keyStrings: 0 };
for (let i = 0; i < snapshot.nodes.length; i += fields) {
  const type = types[snapshot.nodes[i]];
  if (type !== 'string' && type !== 'concatenated string' && type !== 'sliced string') continue;
  const name = snapshot.strings[snapshot.nodes[i + 1]];
  if (name === first.sessionId) counts.sessionId += 1;
  else if (name === first.message.model) counts.model += 1;
  else if (name.includes('_mem_')) counts.keyStrings += 1;
}
globalThis.keep = ledger;
process.stdout.write(`${JSON.stringify({ responses: n, usage, retained: ledger.retainedEvents, ...counts })}\n`);
