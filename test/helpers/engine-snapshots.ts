/** Waiting for a running Engine's Snapshots in integration tests. */
import type { Engine } from '../../main/core/engine.js';
import type { Snapshot } from '../../shared/snapshot.js';

/**
 * The next Snapshot the Engine emits that matches `predicate`; rejects after `timeoutMs`. With
 * `acceptCurrent`, a current Snapshot that already matches resolves at once.
 */
export function nextSnapshot(engine: Engine, predicate: (s: Snapshot) => boolean, timeoutMs = 10_000, acceptCurrent = false): Promise<Snapshot> {
  if (acceptCurrent && engine.snapshot && predicate(engine.snapshot)) return Promise.resolve(engine.snapshot);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching Snapshot in time (last: ${String(engine.snapshot?.quota.currentWindow?.tokensUsed)} tokens)`)), timeoutMs);
    const onSnapshot = (snapshot: Snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      engine.off('snapshot', onSnapshot);
      resolve(snapshot);
    };
    engine.on('snapshot', onSnapshot);
  });
}
