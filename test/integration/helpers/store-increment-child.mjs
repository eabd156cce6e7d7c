// Child process for store-concurrency.test.ts: appends `${id}-${i}` to the array in FILE,
// COUNT times, each a locked read-modify-write. Needs the build (dist/) since Node cannot load .ts.
// usage: node store-increment-child.mjs FILE ID COUNT START_AT_EPOCH_MS
import { sleepSync, updateJsonStateSync } from '../../../dist/main/core/store.js';

const [file, id, countText, startAtText] = process.argv.slice(2);
const count = Number(countText);
// Start together with the sibling so the two really contend for the lock.
sleepSync(Math.max(0, Number(startAtText) - Date.now()));

const parse = (raw) => {
  if (!Array.isArray(raw)) throw new Error('expected an array');
  return raw;
};
for (let i = 0; i < count; i++) {
  updateJsonStateSync(file, parse, (current) => [...(current ?? []), `${id}-${i}`]);
  // A breath between writes, as real callers have, so the sibling gets the lock now and then
  // instead of this process re-taking it while the sibling sleeps.
  sleepSync(Math.floor(Math.random() * 3));
}
