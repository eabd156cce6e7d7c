// Child process for planner-cli.test.ts: COUNT locked edits of ROOT/session-queue.json, each a
// read-modify-write that adds the session "<ID>-<i>" and re-estimates the previous one of its
// own, as the app and the CLI do. Needs the build (dist/) since Node cannot load .ts.
// usage: node queue-edit-child.mjs ROOT ID COUNT START_AT_EPOCH_MS PROJECT
import { sleepSync } from '../../../dist/main/core/store.js';
import { addSession, touch, updateQueue } from '../../../dist/main/core/planner/queue.js';

const [root, id, countText, startAtText, project] = process.argv.slice(2);
const count = Number(countText);
// Start together with the sibling so the two really contend for the lock.
sleepSync(Math.max(0, Number(startAtText) - Date.now()));

for (let i = 0; i < count; i++) {
  updateQueue(root, Date.now(), (queue) => {
    const previous = queue.sessions.find((session) => session.name === `${id}-${i - 1}`);
    if (previous) {
      previous.estimatedTokens += 1;
      touch(previous, Date.now());
    }
    addSession(queue, { name: `${id}-${i}`, project, estimatedTokens: 1000, estimatedHours: 1 }, Date.now());
  });
  // A breath between writes, as real callers have, so the sibling gets the lock now and then.
  sleepSync(Math.floor(Math.random() * 3));
}
