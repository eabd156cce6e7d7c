// What-if runs change nothing: `--now` (another instant), a one-off `--plan` or `--limit` (another
// plan) and `cco next --json` without `--yes` decide and report; the state files on disk are
// byte for byte what they were. Real CLI processes on a root whose window started 2.5 hours ago.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assistantLine, writeTranscript } from '../fixtures/make-transcript.js';
import { CCO_BIN, runCco, tempRoot, type CliResult } from '../helpers/cli.js';
import { PtySession, tmuxAvailable } from '../helpers/pty.js';

const cleanup: string[] = [];
const terminals: PtySession[] = [];
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  for (const dir of cleanup.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` with its content: the state a run must leave as it was. */
function stateOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

function ok(result: CliResult): string {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** A pro root (200,000 per window) with `used` tokens in a window that started 2.5 hours ago, and two queued sessions. */
function criticalRoot(used = 192_000): { root: string; base: string[] } {
  const root = tempRoot('cco-whatif-');
  const project = tempRoot('cco-whatif-project-');
  cleanup.push(root, project);
  const start = new Date(Date.now() - 150 * 60_000).toISOString();
  writeTranscript(root, 'used', [assistantLine({ messageId: 'msg_used', timestamp: start, input: used - 2_000, output: 2_000 })]);
  fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ plan: 'pro' }));
  const base = ['--config-dir', root];
  ok(runCco(['queue', 'add', ...base, '--project', project, '--name', 'A', '--tokens', '120k', '--hours', '2']));
  ok(runCco(['queue', 'add', ...base, '--project', project, '--name', 'B', '--tokens', '60k', '--hours', '1']));
  // The trackers as a normal run leaves them.
  ok(runCco(['status', ...base]));
  return { root, base };
}

describe('what-if runs write nothing', () => {
  it('cco next --json at CRITICAL decides and reports the auto-schedule, and does not act', () => {
    const { root, base } = criticalRoot();
    const before = stateOf(root);
    const decision = JSON.parse(ok(runCco(['next', '--json', '--hours', '3', ...base]))) as { automatic: string; slots: unknown[]; carriedOut: { action: string } };
    expect(decision.automatic).toBe('critical');
    expect(decision.slots).toHaveLength(2);
    expect(decision.carriedOut.action).toBe('none');
    expect(stateOf(root)).toEqual(before);
    // --yes carries it out.
    const done = JSON.parse(ok(runCco(['next', '--json', '--yes', '--hours', '3', ...base]))) as { carriedOut: { action: string; ids: string[] } };
    expect(done.carriedOut).toEqual({ action: 'auto-scheduled', ids: ['s1', 's2'] });
  });

  it('a run with --now writes nothing, at CRITICAL too, and says so; --yes with --now is refused', () => {
    const { root, base } = criticalRoot();
    const before = stateOf(root);
    const now = new Date().toISOString();
    const text = ok(runCco(['next', '--hours', '3', '--now', now, ...base]));
    expect(text).toContain('Nothing was scheduled: --now is a what-if');
    ok(runCco(['next', '--json', '--now', now, ...base]));
    ok(runCco(['status', '--now', now, ...base]));
    ok(runCco(['status', '--json', '--now', now, ...base]));
    // --print shows what --yes would do, so it may imagine another instant; it schedules nothing.
    expect(ok(runCco(['next', '--yes', '--print', '--hours', '3', '--now', now, ...base]))).toContain('Nothing was scheduled');
    expect(ok(runCco(['next', '--yes', '--print', '--hours', '3', ...base]))).toContain('Nothing was scheduled: --print changes nothing.');
    const refused = runCco(['next', '--yes', '--hours', '3', '--now', now, ...base]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('cco: --now is a what-if and changes nothing: drop --now to carry the decision out (--yes), or add --hours N to see the decision\n');
    expect(stateOf(root)).toEqual(before);
  });

  it('a one-off --plan or --limit never reaches quota-tracker.json or the other state files', () => {
    const { root, base } = criticalRoot(20_000);
    const before = stateOf(root);
    expect(JSON.parse(before['quota-tracker.json'] ?? '{}')).toMatchObject({ plan: 'pro', limit: 200_000 });
    const max20 = JSON.parse(ok(runCco(['status', '--json', '--plan', 'max20', ...base]))) as { plan: { name: string } };
    expect(max20.plan.name).toBe('max20');
    ok(runCco(['status', '--limit', '50000', ...base]));
    ok(runCco(['next', '--json', '--hours', '2', '--plan', 'max5', ...base]));
    expect(stateOf(root)).toEqual(before);
  });

  it.runIf(tmuxAvailable())('cco status --watch with a one-off --plan leaves the trackers alone', async () => {
    const { root, base } = criticalRoot(20_000);
    const before = stateOf(root);
    const tty = PtySession.start([process.execPath, CCO_BIN, 'status', '--watch', '--plan', 'max20', ...base], { env: { NO_COLOR: '1', CLAUDE_CONFIG_DIR: undefined } });
    terminals.push(tty);
    await tty.waitFor('Ctrl-C to stop');
    expect(tty.screen()).toContain('Plan:         MAX20');
    tty.press('C-c');
    expect((await tty.waitForExit()).code).toBe(0);
    expect(stateOf(root)).toEqual(before);
  });
});
