import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeSession } from '../../main/core/context/analyze.js';
import {
  handoffPath,
  latestHandoff,
  renderHandoff,
  resumeCommands,
  whereWeAreBlock,
  WHERE_WE_ARE_MAX_BYTES,
  writeHandoff,
  writeHandoffForSession,
} from '../../main/core/context/handoff.js';
import { SessionBuilder, knownSession, tempDirs, writeLines } from '../fixtures/context/session.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const NOW = Date.parse('2026-03-02T12:30:45.678Z');

describe('the handoff file', () => {
  it('holds the objective, files edited, todos, decisions, branch, figures and resume commands', () => {
    const root = dirs.make();
    const session = knownSession({ gitBranch: 'feature/totals' });
    const analysis = analyzeSession(writeLines(dirs.make(), session.lines));
    const file = writeHandoff(root, analysis, NOW, { percentUsed: 42.5, tokensUsed: 85_000, limit: 200_000, resetTime: '2026-03-02T14:05:00.000Z' });
    expect(file).toBe(path.join(root, 'handoffs', `${session.sessionId}-2026-03-02T12-30-45Z.md`));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(`# Handoff: continue session ${session.sessionId}`);
    expect(text).toContain('Add invoice totals to the API');
    expect(text).toContain('Latest request: Also round totals to cents');
    expect(text).toContain('- `src/totals.ts` (written)');
    expect(text).toContain('- `src/invoice.ts` (edited)');
    expect(text).toContain('- [x] Add totals to invoices');
    expect(text).toContain('- [ ] Wire totals into the API (in progress)');
    expect(text).toContain('- [ ] Write tests for totals');
    expect(text).toContain('Decided: totals are integer cents, rounded half-up.');
    expect(text).toContain('- Git branch: `feature/totals`');
    expect(text).toContain('- Context: 68,000 / 180,000 usable tokens (37.8%, 🟢 HEALTHY); window 200,000');
    expect(text).toContain('- Quota: 85,000 of 200,000 tokens used in the 5-hour window (43%), resets at 2026-03-02T14:05:00.000Z');
    expect(text).toContain(`claude --append-system-prompt-file ${file} "Continue the work described in the handoff`);
    expect(text).toContain(`claude -r ${session.sessionId}`);
    expect(text).toContain("cd /Users/dana/code/invoice-api");
  });

  it('never overwrites: a second handoff in the same second gets its own name', () => {
    const root = dirs.make();
    const analysis = analyzeSession(writeLines(dirs.make(), knownSession().lines));
    const first = writeHandoff(root, analysis, NOW);
    const second = writeHandoff(root, analysis, NOW);
    expect(second).not.toBe(first);
    expect(second.endsWith('-2.md')).toBe(true);
    expect(handoffPath(root, 'a/b', NOW)).toContain(`${path.sep}a_b-2026-03-02T12-30-45Z.md`);
    expect(latestHandoff(root, analysis.context.sessionId)).not.toBeNull();
    expect(latestHandoff(root, 'other')).toBeNull();
  });

  it('quotes paths with spaces in the resume commands', () => {
    expect(resumeCommands("/Users/dana/My Files/it's.md", 'abc')).toEqual({
      fresh: `claude --append-system-prompt-file '/Users/dana/My Files/it'\\''s.md' "Continue the work described in the handoff: check the open todos and the latest request, then carry on."`,
      resume: 'claude -r abc',
    });
  });

  it('says plainly what is missing for a session with no prompt, edits or todos yet', () => {
    const s = new SessionBuilder();
    s.respond(12_000);
    const analysis = analyzeSession(writeLines(dirs.make(), s.lines));
    const text = renderHandoff({ analysis, file: '/tmp/h.md', now: NOW });
    expect(text).toContain('(no prompt found in the transcript)');
    expect(text).toContain('## Files edited or written\n\n(none)');
    expect(text).toContain('(no todo list in this session)');
    expect(text).not.toContain('- Quota:');
  });
});

describe('the compaction hooks\' helpers', () => {
  function compactedSession(): SessionBuilder {
    const s = knownSession();
    s.compact({ preTokens: 150_000, postTokens: 20_000, trigger: 'auto', summary: 'Summary of the totals work.' });
    s.prompt('Now the CSV export');
    s.edit(25_000, `${s.cwd}/src/export.ts`, 'a', 'b');
    s.todos(26_000, [{ content: 'Export invoices as CSV', status: 'in_progress' }]);
    s.respond(27_000, [{ type: 'text', text: 'Chose RFC 4180 quoting for the CSV export.' }]);
    return s;
  }

  it('writeHandoffForSession reads from the last compaction and writes the handoff (PreCompact)', () => {
    const root = dirs.make();
    const s = compactedSession();
    const transcript = writeLines(dirs.make(), s.lines);
    const file = writeHandoffForSession(root, s.sessionId, transcript, NOW);
    const text = fs.readFileSync(file, 'utf8');
    expect(path.dirname(file)).toBe(path.join(root, 'handoffs'));
    expect(text).toContain('Add invoice totals to the API'); // the session's first prompt, from its head
    expect(text).toContain('Latest request: Now the CSV export');
    expect(text).toContain('## Files edited or written since the last compaction');
    expect(text).toContain('`src/export.ts` (edited)');
    expect(text).not.toContain('src/invoice.ts'); // before the boundary: in the summary already
    expect(text).toContain('- [ ] Export invoices as CSV (in progress)');
    expect(text).toContain('- Context: 27,000 / 180,000');
    expect(() => writeHandoffForSession(root, s.sessionId, path.join(root, 'missing.jsonl'), NOW)).toThrow(/transcript not found/);
  });

  it('whereWeAreBlock covers the work the compaction just summarised, under 2 KB (SessionStart compact)', () => {
    const root = dirs.make();
    const s = compactedSession();
    // The compaction that just happened: boundary and summary, no response yet.
    s.compact({ preTokens: 170_000, trigger: 'auto', summary: 'Summary of the CSV work.' });
    const transcript = writeLines(dirs.make(), s.lines);
    const handoff = writeHandoffForSession(root, s.sessionId, transcript, NOW);
    const block = whereWeAreBlock(root, s.sessionId, transcript);
    expect(Buffer.byteLength(block)).toBeLessThan(WHERE_WE_ARE_MAX_BYTES);
    expect(block).toContain('Objective: Add invoice totals to the API');
    expect(block).toContain('Latest request: Now the CSV export');
    expect(block).toContain('Files in progress: src/export.ts');
    expect(block).toContain('- [in_progress] Export invoices as CSV');
    expect(block).toContain('Chose RFC 4180 quoting');
    expect(block).toContain(`Full handoff: ${handoff}`);
  });

  it('whereWeAreBlock stays under 2 KB whatever the session holds', () => {
    const s = new SessionBuilder();
    s.prompt('p'.repeat(5_000));
    for (let i = 0; i < 40; i++) s.edit(20_000 + i, `${s.cwd}/src/${'deep/'.repeat(10)}file-${i}.ts`, 'a', 'b');
    s.todos(30_000, Array.from({ length: 30 }, (_, i) => ({ content: `todo ${i} ${'t'.repeat(300)}`, status: 'pending' as const })));
    s.respond(31_000, [{ type: 'text', text: 'd'.repeat(5_000) }]);
    const block = whereWeAreBlock(dirs.make(), s.sessionId, writeLines(dirs.make(), s.lines));
    expect(Buffer.byteLength(block)).toBeLessThanOrEqual(WHERE_WE_ARE_MAX_BYTES);
    expect(block.startsWith('## Where we are')).toBe(true);
  });
});
