/**
 * `cco queue list` and the Snapshot's queue part take "ended?" from the same rule
 * (main/core/planner/progress.ts): a launched session whose transcript has been quiet for the
 * idle limit. Real files: the transcript's mtime is what the rule reads.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../../main/cli/io.js';
import { runQueue } from '../../main/cli/queue.js';
import { renderQueueList } from '../../main/cli/render/queue-panel.js';
import { listTranscriptFiles } from '../../main/core/paths.js';
import { endedSessions, LAUNCHED_IDLE_MS } from '../../main/core/planner/progress.js';
import { addSession, setStatus, updateQueue } from '../../main/core/planner/queue.js';
import { emptyQueue, queueSnapshot, type QueuedSession, type QueueSnapshot } from '../../shared/queue-snapshot.js';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { tempRoot } from '../helpers/cli.js';

const NOW = Date.parse('2026-03-02T19:30:00.000Z');
const CLAUDE_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function launched(lastWriteAgo: number) {
  const root = tempRoot();
  roots.push(root);
  const queue = emptyQueue();
  const session = addSession(queue, { name: 'Implementation', project: root, estimatedTokens: 50_000, estimatedHours: 2 }, NOW - 3_600_000);
  setStatus(session, 'in-progress', NOW - 3_600_000);
  (session as QueuedSession).claudeSessionId = CLAUDE_ID;
  const last = NOW - lastWriteAgo;
  writeTranscript(root, CLAUDE_ID, [assistantLine({ sessionId: CLAUDE_ID, messageId: 'msg_q1', timestamp: new Date(last).toISOString(), input: 10 })], { mtime: new Date(last) });
  return { root, queue };
}

describe('a launched session gone quiet', () => {
  it('shows as ended? in cco queue list and as ended in the Snapshot, past the idle limit only', () => {
    const quiet = launched(LAUNCHED_IDLE_MS + 5 * 60_000);
    expect(renderQueueList(quiet.queue, NOW, [quiet.root])).toContain(`idle for 35m: ended? cco queue done s1, or continue with: claude -r ${CLAUDE_ID}`);
    const ended = endedSessions(quiet.queue, listTranscriptFiles([quiet.root]).files, NOW);
    expect(queueSnapshot(quiet.queue, NOW, ended).entries[0]?.state).toBe('ended');

    const busy = launched(LAUNCHED_IDLE_MS - 60_000);
    expect(renderQueueList(busy.queue, NOW, [busy.root])).not.toContain('ended?');
    expect(queueSnapshot(busy.queue, NOW, endedSessions(busy.queue, listTranscriptFiles([busy.root]).files, NOW)).entries[0]?.state).toBe('running');
  });
});

describe('cco queue list --json', () => {
  /** `cco queue list --json` in-process, with the queue written to the config root. */
  async function listJson(root: string, sessions: QueuedSession[]): Promise<QueueSnapshot> {
    updateQueue(root, NOW, (queue) => {
      queue.sessions.push(...sessions);
      queue.nextNumber = sessions.length + 1;
    });
    const out: string[] = [];
    const io: Io = { stdout: (text) => void out.push(text), stderr: () => undefined, env: { NO_COLOR: '1' }, stdoutStream: { isTTY: false } };
    expect(await runQueue(['list', '--json', '--config-dir', root, '--now', new Date(NOW).toISOString()], io)).toBe(0);
    return JSON.parse(out.join('')) as QueueSnapshot;
  }

  it('gives a launched session gone quiet the state the Snapshot gives it: ended, with its last activity', async () => {
    const quiet = launched(LAUNCHED_IDLE_MS + 5 * 60_000);
    const listed = await listJson(quiet.root, quiet.queue.sessions);
    expect(listed.entries[0]).toMatchObject({ id: 's1', state: 'ended', lastActivity: new Date(NOW - LAUNCHED_IDLE_MS - 5 * 60_000).toISOString() });
    expect(listed.entries).toEqual(queueSnapshot(quiet.queue, NOW, endedSessions(quiet.queue, listTranscriptFiles([quiet.root]).files, NOW)).entries);

    const busy = launched(LAUNCHED_IDLE_MS - 60_000);
    expect((await listJson(busy.root, busy.queue.sessions)).entries[0]?.state).toBe('running');
  });
});
