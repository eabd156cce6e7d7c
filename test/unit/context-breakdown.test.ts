import { afterEach, describe, expect, it } from 'vitest';
import { analyzeSession } from '../../main/core/context/analyze.js';
import { estimateParts, PART_KEYS, scaleFactor, scaleParts, systemPromptEstimate, type PartTokens } from '../../main/core/context/breakdown.js';
import { compactCommand, KEEP_RECENT_READS, KEEP_RECENT_RESPONSES } from '../../main/core/context/compaction.js';
import { SessionBuilder, knownSession, tempDirs, writeLines } from '../fixtures/context/session.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const total = (p: PartTokens) => PART_KEYS.reduce((n, k) => n + p[k], 0);

describe('scaling the breakdown to the measured context', () => {
  it('adds up exactly, the rounding remainder on the largest part', () => {
    const raw: PartTokens = { systemPrompt: 3, fileReads: 3, toolResults: 3, conversation: 1, codeGenerated: 0 };
    const scaled = scaleParts(raw, 100);
    expect(total(scaled)).toBe(100);
    expect(scaled).toEqual({ systemPrompt: 30, fileReads: 30, toolResults: 30, conversation: 10, codeGenerated: 0 });
    const odd = scaleParts({ systemPrompt: 1, fileReads: 5, toolResults: 1, conversation: 0, codeGenerated: 0 }, 10);
    expect(odd).toEqual({ systemPrompt: 1, fileReads: 8, toolResults: 1, conversation: 0, codeGenerated: 0 });
  });

  it.each([1, 7, 999, 68_000, 180_001, 999_999])('sums to %i for any split', (target) => {
    const raw: PartTokens = { systemPrompt: 14_321, fileReads: 7_777, toolResults: 333, conversation: 12, codeGenerated: 1 };
    const scaled = scaleParts(raw, target);
    expect(total(scaled)).toBe(target);
    for (const key of PART_KEYS) expect(scaled[key]).toBeGreaterThanOrEqual(0);
  });

  it('puts everything on the system prompt when nothing is estimated, and keeps raw figures when the total is unknown', () => {
    expect(scaleParts({ systemPrompt: 0, fileReads: 0, toolResults: 0, conversation: 0, codeGenerated: 0 }, 5_000)).toEqual({ systemPrompt: 5_000, fileReads: 0, toolResults: 0, conversation: 0, codeGenerated: 0 });
    const raw = estimateParts({ fileReads: 400, toolResults: 0, conversation: 41, codeGenerated: 0 }, 1_000);
    expect(raw).toEqual({ systemPrompt: 1_000, fileReads: 100, toolResults: 0, conversation: 10, codeGenerated: 0 });
    expect(scaleFactor(raw, null)).toBe(1);
    expect(scaleFactor(raw, 2_220)).toBe(2);
  });
});

describe('compaction opportunities and the /compact brief', () => {
  it('names the files being edited, the open todos, the objective and what to drop', () => {
    const { context } = analyzeSession(writeLines(dirs.make(), knownSession().lines));
    const c = context.compaction;
    expect(c.keep.objective).toBe('Add invoice totals to the API');
    expect(c.keep.latestRequest).toBe('Also round totals to cents');
    expect(c.keep.filesEdited).toEqual(['src/totals.ts', 'src/invoice.ts']);
    expect(c.keep.openTodos).toEqual(['[in_progress] Wire totals into the API', '[pending] Write tests for totals']);
    expect(c.drop.files).toEqual(['src/old-0.ts', 'src/old-1.ts', 'src/old-2.ts']);
    expect(c.command.startsWith('/compact Keep the objective "Add invoice totals to the API"')).toBe(true);
    for (const name of ['src/totals.ts', 'src/invoice.ts', 'Wire totals into the API', 'Write tests for totals', 'Also round totals to cents', 'src/old-0.ts']) {
      expect(c.command).toContain(name);
    }
    expect(c.command).not.toContain('Add totals to invoices'); // completed todo
    expect(c.command).not.toContain('\n');
    const reads = c.opportunities.find((o) => o.kind === 'old-file-reads');
    expect(reads?.detail).toContain('3 reads of 3 files');
    expect(c.potentialSavings).toBe(c.opportunities.reduce((n, o) => n + o.tokens, 0));
  });

  it('finds superseded reads, duplicate results, old tool output and old exchanges, on the breakdown\'s scale', () => {
    const s = new SessionBuilder();
    s.prompt('Refactor the parser');
    const cwd = s.cwd;
    // Only reads before the last 10 can be stale.
    s.read(20_000, `${cwd}/parser.ts`, 'p'.repeat(8_000));
    for (let i = 0; i < KEEP_RECENT_READS - 1; i++) s.read(21_000 + i, `${cwd}/r${i}.ts`, `${i}`.repeat(40));
    s.read(22_000, `${cwd}/parser.ts`, 'q'.repeat(8_000)); // parser.ts read again: the first read is stale
    s.tool(23_000, 'Bash', { command: 'npm test' }, 'FAIL '.repeat(400));
    s.tool(23_500, 'Bash', { command: 'npm test' }, 'FAIL '.repeat(400)); // identical output
    for (let i = 0; i < KEEP_RECENT_RESPONSES; i++) s.respond(24_000 + i, [{ type: 'text', text: `step ${i} `.repeat(20) }]);
    s.respond(40_000);
    const { context, scan } = analyzeSession(writeLines(dirs.make(), s.lines));
    const by = Object.fromEntries(context.compaction.opportunities.map((o) => [o.kind, o]));
    expect(Object.keys(by).sort()).toEqual(['duplicate-tool-results', 'old-exchanges', 'old-file-reads', 'old-tool-results']);
    expect(by['old-file-reads']?.detail).toContain('1 read of 1 file');
    expect(by['duplicate-tool-results']?.detail).toContain('1 repeated result');
    // Savings are character estimates times the breakdown's scale factor.
    const factor = scaleFactor(estimateParts(scan.segment.chars, systemPromptEstimate(scan.segment, null)), 40_000);
    expect(factor).not.toBe(1);
    expect(by['old-file-reads']?.tokens).toBe(Math.round((8_000 / 4) * factor));
    expect(by['duplicate-tool-results']?.tokens).toBe(Math.round((2_000 / 4) * factor));
    expect(context.compaction.potentialSavings).toBeLessThanOrEqual(40_000 - context.breakdown.systemPrompt.tokens);
    expect(context.compaction.drop.files).toEqual([]); // parser.ts was read again: not "never touched"
  });

  it('builds a /compact line without objective or files when there are none', () => {
    const line = compactCommand({ objective: null, latestRequest: null, filesEdited: [], openTodos: [], drop: [] });
    expect(line).toBe('/compact Keep the decisions made and their reasons, and any errors still unresolved. Drop old tool output, file contents that were only read, and superseded attempts; they can be re-read when needed.');
    const quoted = compactCommand({ objective: 'Fix "the" bug\nnow', latestRequest: null, filesEdited: Array.from({ length: 15 }, (_, i) => `f${i}.ts`), openTodos: [], drop: [] });
    expect(quoted).toContain('"Fix \'the\' bug now"');
    expect(quoted).toContain('f11.ts and 3 more');
  });
});

