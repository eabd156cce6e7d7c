import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeSession } from '../../main/core/context/analyze.js';
import { DEFAULT_SYSTEM_PROMPT_TOKENS } from '../../main/core/context/breakdown.js';
import { scanSession } from '../../main/core/context/scan.js';
import { SessionContextTracker } from '../../main/core/context/tracker.js';
import { IMAGE_TOKENS } from '../../main/core/context/text.js';
import type { ContextBreakdown } from '../../shared/context-snapshot.js';
import { IMAGE_BLOCK, SessionBuilder, knownSession, tempDirs, writeLines } from '../fixtures/context/session.js';
import { HOSTILE_USAGE, hostileAssistantLine } from '../fixtures/hostile-numbers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function analyze(builder: SessionBuilder | string[]) {
  const lines = Array.isArray(builder) ? builder : builder.lines;
  return analyzeSession(writeLines(dirs.make(), lines));
}

function partsSum(b: ContextBreakdown): number {
  return b.systemPrompt.tokens + b.fileReads.tokens + b.toolResults.tokens + b.conversation.tokens + b.codeGenerated.tokens;
}

describe('context of a session transcript', () => {
  it('reports the known session exactly: tokens, level, breakdown counts that add up', () => {
    const { context } = analyze(knownSession());
    expect(context).toMatchObject({ tokens: 68_000, source: 'transcript', level: 'healthy', percent: 37.8, windowSize: 200_000, usableLimit: 180_000, cwd: '/Users/dana/code/invoice-api', gitBranch: 'main', model: 'claude-opus-4-6' });
    const b = context.breakdown;
    expect(b.scaled).toBe(true);
    expect(partsSum(b)).toBe(68_000);
    expect(b.total).toBe(68_000);
    expect(b.fileReads).toMatchObject({ files: 13, reads: 13 });
    expect(b.toolResults.results).toBe(3); // Edit, Write and TodoWrite results
    expect(b.conversation.exchanges).toBe(2);
    expect(b.codeGenerated.responses).toBe(3); // the Edit, the Write, and the text with a code block
    expect(context.growth).toMatchObject({ responses: 17, turns: 1 });
  });

  it('handles a session with no assistant line yet: context unknown, raw estimate, no level', () => {
    const s = new SessionBuilder();
    s.prompt('x'.repeat(4_000));
    const { context } = analyze(s);
    expect(context).toMatchObject({ tokens: null, source: 'unknown', percent: null, level: null, nextAlert: null, lastResponseAt: null });
    expect(context.recommendation).toContain('No response yet');
    expect(context.breakdown.scaled).toBe(false);
    expect(context.breakdown.systemPrompt.tokens).toBe(DEFAULT_SYSTEM_PROMPT_TOKENS);
    expect(context.breakdown.conversation).toMatchObject({ tokens: 1_000, exchanges: 1 });
    expect(context.breakdown.total).toBe(DEFAULT_SYSTEM_PROMPT_TOKENS + 1_000);
    expect(context.compaction.keep.objective).toBe('x'.repeat(399) + '…');
  });

  it('handles a transcript of sidechain lines only: nothing counts towards the context', () => {
    const s = new SessionBuilder();
    s.prompt('Investigate the flaky test', { isSidechain: true });
    s.respond(150_000, [{ type: 'text', text: 'Sub-agent report' }], { sidechain: true });
    const { context, scan } = analyze(s);
    expect(context).toMatchObject({ tokens: null, level: null });
    expect(scan.counters.sidechain).toBe(2);
    expect(context.breakdown.conversation.exchanges).toBe(0);
  });

  it('ignores sidechain, synthetic and API-error responses after the last main-chain one', () => {
    const s = new SessionBuilder();
    s.prompt('Go');
    s.respond(30_000);
    s.respond(150_000, [{ type: 'text', text: 'sub-agent' }], { sidechain: true });
    s.respond(0, [{ type: 'text', text: 'No response requested.' }], { model: '<synthetic>' });
    s.respond(99_000, [{ type: 'text', text: 'API Error: overloaded' }], { apiError: true });
    expect(analyze(s).context).toMatchObject({ tokens: 30_000, level: 'fresh' });
  });

  it('uses a later compact boundary: its postTokens, or unknown when it has none', () => {
    const s = new SessionBuilder();
    s.prompt('Go');
    s.respond(170_000);
    s.compact({ preTokens: 170_000, postTokens: 21_000, summary: 'Summary: we were adding totals.' });
    const withPost = analyze(s).context;
    expect(withPost).toMatchObject({ tokens: 21_000, source: 'compact-boundary', level: 'fresh', compactions: 1 });
    expect(withPost.lastCompaction).toMatchObject({ trigger: 'auto', preTokens: 170_000, postTokens: 21_000 });
    expect(partsSum(withPost.breakdown)).toBe(21_000);

    const t = new SessionBuilder();
    t.prompt('Go');
    t.respond(170_000);
    t.compact({ preTokens: 170_000, summary: 'Summary.' });
    const without = analyze(t).context;
    expect(without).toMatchObject({ tokens: null, source: 'unknown', level: null, percent: null });
    expect(without.recommendation).toContain('just compacted');
    expect(without.breakdown.scaled).toBe(false);

    // The next response measures it again, and the breakdown covers only what followed the boundary.
    t.prompt('Continue');
    t.respond(25_000);
    const again = analyze(t).context;
    expect(again).toMatchObject({ tokens: 25_000, source: 'transcript' });
    expect(again.breakdown.conversation.exchanges).toBe(1);
    expect(partsSum(again.breakdown)).toBe(25_000);
  });

  it('recognises a 1M session from a context above 200k', () => {
    const s = new SessionBuilder();
    s.prompt('Read the whole monorepo');
    s.read(150_000, '/Users/dana/code/invoice-api/big.ts', 'b'.repeat(100_000));
    s.respond(420_000);
    const { context } = analyze(s);
    expect(context).toMatchObject({ tokens: 420_000, windowSize: 1_000_000, windowSource: 'measured', usableLimit: 900_000, percent: 46.7, level: 'healthy' });
    expect(partsSum(context.breakdown)).toBe(420_000);
  });

  it('does not count thinking blocks, and counts an image at a fixed estimate, never its base64 length', () => {
    const s = new SessionBuilder();
    s.prompt('What does the screenshot show?');
    s.respond(20_000, [{ type: 'thinking', thinking: 't'.repeat(40_000), signature: 'sig' }, { type: 'text', text: 'Let me look.' }]);
    const id = s.tool(21_000, 'Read', { file_path: '/Users/dana/code/invoice-api/shot.png' }, [IMAGE_BLOCK]);
    s.result('toolu_missing_parent', [{ type: 'text', text: 'two images' }, IMAGE_BLOCK, IMAGE_BLOCK]);
    s.userBlocks([{ type: 'text', text: 'and this one' }, IMAGE_BLOCK]);
    const { scan } = analyze(s);
    expect(id).toBeTruthy();
    expect(scan.counters.thinking).toBe(1);
    expect(scan.segment.images).toBe(4);
    const imageChars = IMAGE_TOKENS * 4;
    // The Read of the image: one image plus its tool_use input.
    expect(scan.segment.chars.fileReads).toBeLessThan(imageChars + 200);
    expect(scan.segment.chars.fileReads).toBeGreaterThanOrEqual(imageChars);
    expect(scan.segment.chars.toolResults).toBe('two images'.length + 2 * imageChars);
    expect(scan.segment.chars.conversation).toBeLessThan(imageChars + 200);
    expect(scan.segment.chars.conversation).toBeGreaterThan(imageChars);
  });

  it('survives a tool_use without result, and a result without its tool_use', () => {
    const s = new SessionBuilder();
    s.prompt('Run it');
    s.tool(20_000, 'Bash', { command: 'npm test' }, null);
    s.tool(21_000, 'Read', { file_path: '/Users/dana/code/invoice-api/a.ts' }, null);
    s.result('toolu_from_before', 'orphan output');
    s.respond(22_000);
    const { context, scan } = analyze(s);
    expect(context.tokens).toBe(22_000);
    expect(scan.counters.toolUsesWithoutResult).toBe(2);
    expect(context.breakdown.fileReads).toMatchObject({ reads: 0, files: 0 });
    expect(context.breakdown.toolResults.results).toBe(1);
    expect(partsSum(context.breakdown)).toBe(22_000);
  });

  it('counts a response written as several lines once, and skips copied lines of a resumed session', () => {
    const s = new SessionBuilder();
    s.prompt('Go');
    s.respond(20_000, [{ type: 'thinking', thinking: 'hm' }, { type: 'text', text: 'abcd'.repeat(100) }, { type: 'tool_use', id: 'toolu_x', name: 'Bash', input: { command: 'ls' } }]);
    s.result('toolu_x', 'file list');
    s.respond(21_000);
    const once = scanSession(writeLines(dirs.make(), s.lines));
    expect(once.segment.responses).toHaveLength(2);
    const copied = scanSession(writeLines(dirs.make(), [...s.lines, ...s.lines]));
    expect(copied.segment.responses).toHaveLength(2);
    expect(copied.segment.chars).toEqual(once.segment.chars);
    expect(copied.segment.results).toBe(1);
  });

  it('counts malformed, empty, unknown and CRLF lines without failing', () => {
    const s = new SessionBuilder();
    s.prompt('Go');
    s.respond(20_000);
    const lines = ['{not json', '', '{"type":"progress","data":{}}', '"just a string"', ...s.lines.map((l) => `${l}\r`), '{"type":"file-history-snapshot"}'];
    const { context, scan } = analyze(lines);
    expect(context.tokens).toBe(20_000);
    expect(scan.counters.malformed).toBe(2);
    expect(scan.counters.skipped).toBe(2);
  });

  it('does not count a failed edit as an edited file', () => {
    const s = new SessionBuilder();
    s.prompt('Fix it');
    s.edit(20_000, '/Users/dana/code/invoice-api/a.ts', 'nope', 'yes', { isError: true });
    s.edit(21_000, '/Users/dana/code/invoice-api/b.ts', 'old', 'new');
    s.respond(22_000);
    const { scan, context } = analyze(s);
    expect([...scan.edited.keys()]).toEqual(['/Users/dana/code/invoice-api/b.ts']);
    expect(context.compaction.keep.filesEdited).toEqual(['b.ts']);
  });

  it('reads from the last compaction for hooks with the same figures, counting the earlier boundaries', () => {
    const s = knownSession();
    s.compact({ preTokens: 150_000, postTokens: 20_000, summary: 'Summary one.' });
    s.prompt('Next part');
    s.respond(40_000);
    s.compact({ preTokens: 160_000, postTokens: 22_000, summary: 'Summary two.' });
    s.prompt('Last part');
    s.edit(30_000, '/Users/dana/code/invoice-api/src/last.ts', 'a', 'b');
    s.respond(33_000);
    const file = writeLines(dirs.make(), s.lines);
    const whole = analyzeSession(file);
    const tail = analyzeSession(file, { from: 'last-compact' });
    expect(tail.context.tokens).toBe(33_000);
    expect(tail.context.breakdown).toEqual(whole.context.breakdown);
    expect(tail.context.compactions).toBe(2);
    expect(whole.context.compactions).toBe(2);
    expect(tail.headPrompt).toBe('Add invoice totals to the API');
    expect(tail.scan.bytesRead).toBeLessThan(whole.scan.bytesRead / 4);
  });
});

describe('SessionContextTracker', () => {
  it('parses only appended lines, waits for a torn line, and starts over when the file shrinks', () => {
    const dir = dirs.make();
    const s = new SessionBuilder();
    s.prompt('Go');
    s.respond(20_000);
    const file = writeLines(dir, s.lines);
    const tracker = new SessionContextTracker(file);
    expect(tracker.context().tokens).toBe(20_000);
    const firstBytes = tracker.refresh().bytesRead;

    const more = new SessionBuilder({ start: s.now });
    more.prompt('More');
    more.respond(26_000);
    const [prompt, response] = more.lines as [string, string];
    fs.appendFileSync(file, `${prompt}\n${response.slice(0, 50)}`);
    expect(tracker.context().tokens).toBe(20_000);
    fs.appendFileSync(file, `${response.slice(50)}\n`);
    const after = tracker.context();
    expect(after.tokens).toBe(26_000);
    expect(after.breakdown.conversation.exchanges).toBe(2);
    expect(tracker.refresh().bytesRead).toBe(fs.statSync(file).size);
    expect(firstBytes).toBeLessThan(fs.statSync(file).size);

    fs.writeFileSync(file, `${s.lines[0]}\n`);
    expect(tracker.context()).toMatchObject({ tokens: null });
  });
});

describe('implausible usage in the context scan (the quota parser’s rule)', () => {
  it.each(HOSTILE_USAGE)('a response with $name never becomes the context, and is counted', (hostile) => {
    const s = new SessionBuilder();
    s.prompt('Add totals.');
    s.respond(40_000);
    s.raw(hostileAssistantLine(hostile, { messageId: 'msg_hostile', timestamp: '2026-03-02T09:30:00.000Z', sessionId: s.sessionId, cwd: s.cwd }));
    const { context, scan } = analyze(s);
    expect(scan.counters.implausible).toBe(1);
    expect(scan.lastResponse?.context).toBe(40_000);
    expect(scan.maxContext).toBe(40_000);
    expect(context.tokens).toBe(40_000);
  });
});
