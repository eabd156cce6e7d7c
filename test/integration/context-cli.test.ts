import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';
import { runContextCli } from '../fixtures/context/cli.js';
import { SessionBuilder, knownSession, tempDirs } from '../fixtures/context/session.js';
import { writeTranscript } from '../fixtures/make-transcript.js';
import { runCco } from '../helpers/cli.js';

const dirs = tempDirs('cco-context-cli-');
afterEach(() => dirs.cleanup());

const KNOWN = '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6';
const OTHER = '9d5f3a7b-2c4e-4d6f-8a81-b2c3d4e5f6a7';

function write(root: string, s: SessionBuilder, mtime?: Date): string {
  return writeTranscript(root, s.sessionId, s.lines, { cwd: s.cwd, ...(mtime ? { mtime } : {}) });
}

/** A root with the known session (its figures in test/fixtures/context/session.ts) and an older one elsewhere. */
function knownRoot(): string {
  const root = dirs.make();
  const main = write(root, knownSession({ sessionId: KNOWN }), new Date(Date.now() - 60_000));
  // A sub-agent of the known session with a far larger context: it must not count.
  const agent = new SessionBuilder({ sessionId: KNOWN });
  agent.prompt('Search the repo', { isSidechain: true });
  agent.respond(190_000, [{ type: 'text', text: 'found it' }], { sidechain: true });
  const agentFile = path.join(path.dirname(main), KNOWN, 'subagents', 'agent-a1b2c3d.jsonl');
  fs.mkdirSync(path.dirname(agentFile), { recursive: true });
  fs.writeFileSync(agentFile, `${agent.lines.join('\n')}\n`);
  const other = new SessionBuilder({ sessionId: OTHER, cwd: '/Users/dana/code/billing' });
  other.prompt('Fix billing');
  other.respond(150_000);
  write(root, other, new Date(Date.now() - 3_600_000));
  return root;
}

function contextJson(root: string, ...args: string[]): ContextSnapshot {
  const result = runContextCli('context', ['--json', '--config-dir', root, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ContextSnapshot;
}

describe('cco context', () => {
  it('reports the known session\'s exact tokens and level, with a breakdown that adds up', () => {
    const context = contextJson(knownRoot(), '--session', KNOWN);
    for (const key of ['sessionId', 'cwd', 'tokens', 'windowSize', 'usableLimit', 'percent', 'level', 'breakdown', 'compaction', 'growth']) expect(context).toHaveProperty(key);
    expect(context).toMatchObject({ sessionId: KNOWN, cwd: '/Users/dana/code/invoice-api', tokens: 68_000, windowSize: 200_000, usableLimit: 180_000, percent: 37.8, level: 'healthy' });
    const b = context.breakdown;
    expect(b.systemPrompt.tokens + b.fileReads.tokens + b.toolResults.tokens + b.conversation.tokens + b.codeGenerated.tokens).toBe(68_000);
    expect(b.fileReads.files).toBe(13);
    expect(Object.keys(context.compaction)).toEqual(expect.arrayContaining(['opportunities', 'potentialSavings', 'command']));
    expect(context.compaction.command).toContain('src/invoice.ts');
    expect(context.compaction.command).toContain('src/totals.ts');
  });

  it('reports the distance to auto-compaction from Claude Code\'s env, our setting or the default, ignoring bad values', () => {
    const root = knownRoot();
    const run = (env: Record<string, string>): ContextSnapshot => {
      const result = runContextCli('context', ['--json', '--config-dir', root, '--session', KNOWN], { env });
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as ContextSnapshot;
    };
    expect(run({}).autoCompact).toEqual({ at: 180_000, tokensLeft: 112_000, source: 'default' });
    expect(run({ CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '50' }).autoCompact).toEqual({ at: 100_000, tokensLeft: 32_000, source: 'env-percent' });
    expect(run({ CLAUDE_CODE_AUTO_COMPACT_WINDOW: '100000' })).toMatchObject({ autoCompactAt: 90_000, autoCompact: { at: 90_000, tokensLeft: 22_000, source: 'env-window' } });
    expect(run({ CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '150', CLAUDE_CODE_AUTO_COMPACT_WINDOW: 'lots' }).autoCompact.source).toBe('default');
    fs.writeFileSync(path.join(root, 'cco-settings.json'), JSON.stringify({ contextAutoCompactAt: 160_000 }));
    expect(run({}).autoCompact).toEqual({ at: 160_000, tokensLeft: 92_000, source: 'setting' });
    const panel = runContextCli('context', ['--config-dir', root, '--session', KNOWN], { env: { CLAUDE_AUTOCOMPACT_PCT_OVERRIDE: '50' } });
    expect(panel.stdout).toContain('Auto-compact:     auto-compact in 32,000 tokens (at 100,000, from CLAUDE_AUTOCOMPACT_PCT_OVERRIDE)');
  });

  it('chooses by --cwd on the cwd inside the lines, by Claude Code\'s session id, or the latest when asked', () => {
    const root = knownRoot();
    expect(contextJson(root, '--cwd', '/Users/dana/code/billing')).toMatchObject({ sessionId: OTHER, tokens: 150_000, level: 'danger' });
    const env = runContextCli('context', ['--json', '--config-dir', root], { env: { CLAUDE_CODE_SESSION_ID: OTHER } });
    expect((JSON.parse(env.stdout) as ContextSnapshot).sessionId).toBe(OTHER);
    expect(contextJson(root, '--latest').sessionId).toBe(KNOWN);
  });

  it('prints the spec\'s panel', () => {
    const result = runContextCli('context', ['--config-dir', knownRoot(), '--session', KNOWN]);
    expect(result.code).toBe(0);
    for (const heading of ['📝 Context Window Analysis', '📊 USAGE SUMMARY', '📁 CONTEXT BREAKDOWN', '🧹 COMPACTION OPPORTUNITIES', '💡 RECOMMENDATIONS']) expect(result.stdout).toContain(heading);
    expect(result.stdout).toContain('Total Context:    68,000 / 180,000 tokens');
    expect(result.stdout).toContain('Status:           🟢 HEALTHY - Normal operation');
    expect(result.stdout.includes('\u001b[')).toBe(false);
  });

  it('fails with one clear line and exit code 2 for an unknown session or a bad choice; no session yet is an answer', () => {
    const root = knownRoot();
    const unknown = runContextCli('context', ['--config-dir', root, '--session', 'no-such-session']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^cco: no session "no-such-session" found in .*projects/);

    const both = runContextCli('compact', ['--config-dir', root, '--session', KNOWN, '--cwd', '/x']);
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe('cco: give one of --session, --cwd and --latest, not --session and --cwd');

    const empty = runContextCli('handoff', ['--config-dir', dirs.make()]);
    // The /context-status and /save-and-restart slash commands abort on a non-zero exit.
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No Claude Code sessions found');

    const missingRoot = runContextCli('context', ['--config-dir', path.join(dirs.make(), 'nope')]);
    expect(missingRoot.code).toBe(2);
    expect(missingRoot.stderr).toContain('config directory not found');
  });

  it('reports the bad inputs plainly: no response yet, sidechain only, boundary without postTokens, a 1M session', () => {
    const root = dirs.make();
    const ids = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000004'];
    const fresh = new SessionBuilder({ sessionId: ids[0] });
    fresh.prompt('Hello');
    const side = new SessionBuilder({ sessionId: ids[1] });
    side.prompt('Sub task', { isSidechain: true });
    side.respond(90_000, [{ type: 'text', text: 'ok' }], { sidechain: true });
    const compacted = new SessionBuilder({ sessionId: ids[2] });
    compacted.prompt('Go');
    compacted.respond(170_000);
    compacted.compact({ preTokens: 170_000, summary: 'Summary.' });
    const big = new SessionBuilder({ sessionId: ids[3] });
    big.prompt('Everything');
    big.respond(650_000);
    for (const s of [fresh, side, compacted, big]) write(root, s);

    expect(contextJson(root, '--session', ids[0] as string)).toMatchObject({ tokens: null, level: null, percent: null });
    expect(contextJson(root, '--session', ids[1] as string)).toMatchObject({ tokens: null, level: null });
    expect(contextJson(root, '--session', ids[2] as string)).toMatchObject({ tokens: null, source: 'unknown', compactions: 1 });
    expect(contextJson(root, '--session', ids[3] as string)).toMatchObject({ tokens: 650_000, windowSize: 1_000_000, usableLimit: 900_000, level: 'warning', percent: 72.2 });
    const panel = runContextCli('context', ['--config-dir', root, '--session', ids[2] as string]);
    expect(panel.code).toBe(0);
    expect(panel.stdout).toContain('Total Context:    unknown / 180,000 tokens');
  });
});

describe('cco compact', () => {
  it('prints the brief naming the right files, and the /compact line last', () => {
    const result = runContextCli('compact', ['--config-dir', knownRoot(), '--session', KNOWN]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const command = lines[lines.length - 1] as string;
    expect(command.startsWith('/compact Keep the objective "Add invoice totals to the API"')).toBe(true);
    expect(command).toContain('the files being edited (src/totals.ts, src/invoice.ts)');
    expect(command).toContain('[in_progress] Wire totals into the API');
    expect(command).toContain('(src/old-0.ts, src/old-1.ts, src/old-2.ts)');
    expect(result.stdout).toContain('Old file reads:');

    const json = runContextCli('compact', ['--json', '--config-dir', knownRoot(), '--session', KNOWN]);
    const brief = JSON.parse(json.stdout) as { command: string; potentialSavings: number; drop: { files: string[] } };
    expect(brief.command).toBe(command);
    expect(brief.drop.files).toEqual(['src/old-0.ts', 'src/old-1.ts', 'src/old-2.ts']);
    expect(brief.potentialSavings).toBeGreaterThan(0);
  });
});

describe('cco handoff', () => {
  it('writes the handoff file with the edited files, todos and resume commands, and prints its path', () => {
    const root = knownRoot();
    const result = runContextCli('handoff', ['--config-dir', root, '--session', KNOWN, '--now', '2026-03-02T10:00:00Z']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = result.stdout.split('\n')[0] as string;
    expect(file).toBe(path.join(root, 'handoffs', `${KNOWN}-2026-03-02T10-00-00Z.md`));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('`src/invoice.ts` (edited)');
    expect(text).toContain('`src/totals.ts` (written)');
    expect(text).toContain('- [ ] Wire totals into the API (in progress)');
    expect(text).toContain(`claude --append-system-prompt-file ${file} "Continue`);
    expect(text).toContain(`claude -r ${KNOWN}`);
    expect(text).toContain('- Quota: ');
    expect(result.stdout).toContain(`claude -r ${KNOWN}`);
    // The terminal shows the same commands as the file, each after the cd into the project.
    expect(result.stdout).toContain(`Resume in a fresh session:\n  cd /Users/dana/code/invoice-api\n  claude --append-system-prompt-file ${file} "Continue`);
    expect(result.stdout).toContain(`Or resume the old one:\n  cd /Users/dana/code/invoice-api\n  claude -r ${KNOWN}\n`);
    expect(text).toContain('cd /Users/dana/code/invoice-api\nclaude --append-system-prompt-file');

    const json = runContextCli('handoff', ['--json', '--config-dir', root, '--session', KNOWN, '--now', '2026-03-02T10:00:00Z']);
    const out = JSON.parse(json.stdout) as { path: string; sessionId: string; commands: { fresh: string; resume: string } };
    expect(out.path).not.toBe(file);
    expect(out.commands.resume).toBe(`claude -r ${KNOWN}`);
  });

  it('prints its usage for --help', () => {
    const result = runContextCli('handoff', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: cco handoff');
  });
});

describe('a directory with no session of its own', () => {
  it('cco context, compact and handoff say so in one line and exit 2; --latest or --session chooses', () => {
    const root = knownRoot();
    const elsewhere = dirs.make();
    for (const command of ['context', 'compact', 'handoff'] as const) {
      const result = runCco([command, '--config-dir', root], { cwd: elsewhere });
      expect(result.code, command).toBe(2);
      expect(result.stdout, command).toBe('');
      expect(result.stderr, command).toBe(
        `cco: no Claude Code session of ${fs.realpathSync(elsewhere)} found; the most recent one is ${KNOWN.slice(0, 8)} in /Users/dana/code/invoice-api: cco ${command} --latest uses it, --session ID picks another\n`,
      );
    }
    expect(fs.existsSync(path.join(root, 'handoffs'))).toBe(false);
    const latest = runCco(['context', '--json', '--latest', '--config-dir', root], { cwd: elsewhere });
    expect(latest.code).toBe(0);
    expect((JSON.parse(latest.stdout) as ContextSnapshot).sessionId).toBe(KNOWN);
    const chosen = runCco(['compact', '--json', '--session', OTHER, '--config-dir', root], { cwd: elsewhere });
    expect(chosen.code).toBe(0);
    expect((JSON.parse(chosen.stdout) as { sessionId: string }).sessionId).toBe(OTHER);
    const handoff = runCco(['handoff', '--latest', '--config-dir', root], { cwd: elsewhere });
    expect(handoff.code).toBe(0);
    expect(handoff.stdout).toContain(`  cd /Users/dana/code/invoice-api\n  claude -r ${KNOWN}`);
  });
});
