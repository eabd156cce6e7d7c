import { describe, expect, it } from 'vitest';
import { contextWindowSection, modelDisplayName, renderCompactionBrief, renderContextPanel } from '../../main/cli/render/context-panel.js';
import { stripAnsi } from '../../main/cli/render/terminal.js';
import { compactionBriefText } from '../../main/core/context/brief-text.js';
import type { ContextSnapshot } from '../../shared/context-snapshot.js';

/** The spec's /context-status example, as a Snapshot context part. */
function specExample(overrides: Partial<ContextSnapshot> = {}): ContextSnapshot {
  return {
    sessionId: 'abc123def456ghi789',
    transcriptPath: '/home/u/.claude/projects/-home-u-my-project/abc123def456ghi789.jsonl',
    cwd: '/home/u/my-project',
    gitBranch: 'main',
    model: 'claude-sonnet-4-5-20250929',
    tokens: 68_000,
    source: 'transcript',
    windowSize: 200_000,
    windowSource: 'default',
    usableLimit: 180_000,
    autoCompactAt: 180_000,
    autoCompact: { at: 180_000, tokensLeft: 112_000, source: 'default' },
    percent: 37.8,
    level: 'healthy',
    recommendation: '🟢 HEALTHY: 112,000 tokens context remaining. Continue coding normally. Use Edit over Read+Write when possible.',
    nextAlert: { level: 'moderate', percent: 50, tokens: 90_000, tokensUntil: 22_000 },
    lastResponseAt: '2026-01-06T16:45:00.000Z',
    lastCompaction: null,
    compactions: 0,
    breakdown: {
      total: 68_000,
      scaled: true,
      systemPrompt: { tokens: 5_000, percent: 7 },
      fileReads: { tokens: 18_000, percent: 26, files: 12, reads: 20 },
      toolResults: { tokens: 15_000, percent: 22, results: 34 },
      conversation: { tokens: 20_000, percent: 29, exchanges: 45 },
      codeGenerated: { tokens: 10_000, percent: 15, responses: 8 },
      images: 0,
    },
    compaction: {
      opportunities: [
        { kind: 'old-file-reads', label: 'Old file reads', tokens: 3_000, detail: 'keep recent 10' },
        { kind: 'duplicate-tool-results', label: 'Duplicate tools', tokens: 2_000, detail: 'deduplicate' },
        { kind: 'old-exchanges', label: 'Old exchanges', tokens: 1_500, detail: 'keep key decisions' },
      ],
      potentialSavings: 6_500,
      command: '/compact Keep the objective "Ship it". Drop old tool output.',
      keep: { objective: 'Ship it', latestRequest: null, filesEdited: ['src/a.ts'], openTodos: ['[pending] Tests'], decisions: ['Use cents'] },
      drop: { files: ['src/old.ts'] },
    },
    growth: { since: '2026-01-06T14:30:00.000Z', responses: 40, turns: 20, tokensPerTurn: 3_000, tokensPerResponse: 1_500, tokensPerHour: 40_000, turnsLeft: 37, minutesLeft: 168 },
    ...overrides,
  };
}

describe('the /context-status panel', () => {
  it('shows the spec\'s sections and rows', () => {
    const text = renderContextPanel(specExample(), { color: false, timeZone: 'UTC' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('📝 Context Window Analysis');
    for (const row of [
      'Total Context:    68,000 / 180,000 tokens',
      'Percentage:       38% used',
      'Status:           🟢 HEALTHY - Normal operation',
      'Remaining:        112,000 tokens (~2h 48m at the current pace)',
      'System Prompt:    5,000 tokens   (7%)',
      'File Reads:       18,000 tokens  (26%) - 12 files',
      'Tool Results:     15,000 tokens  (22%) - 34 results',
      'Conversation:     20,000 tokens  (29%) - 45 exchanges',
      'Code Generated:   10,000 tokens  (15%) - 8 responses',
      'Old file reads:   -3,000 tokens (keep recent 10)',
      'Duplicate tools:  -2,000 tokens (deduplicate)',
      'Old exchanges:    -1,500 tokens (keep key decisions)',
      'Total Potential:  6,500 tokens (not needed yet)',
      '✅ Context is healthy - no action needed',
      '✅ Continue normal operation',
      '📊 Next checkpoint: 50% (90k tokens)',
      'Model:            Claude Sonnet 4.5',
    ]) {
      expect(lines).toContain(row);
    }
    const order = ['📊 USAGE SUMMARY', '📁 CONTEXT BREAKDOWN', '🧹 COMPACTION OPPORTUNITIES', '💡 RECOMMENDATIONS'].map((h) => lines.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    expect(text.includes('\u001b[')).toBe(false);
  });

  it('puts the /compact line in front of the user at DANGER, and colours only with colour on', () => {
    const danger = specExample({ tokens: 150_000, percent: 83.3, level: 'danger', nextAlert: { level: 'critical', percent: 100, tokens: 180_000, tokensUntil: 30_000 } });
    const coloured = renderContextPanel(danger, { color: true });
    expect(coloured).toContain('\u001b[');
    const plain = stripAnsi(coloured);
    expect(plain).toContain('🔴 CONTEXT DANGER - Compact now');
    expect(plain).toContain('🔴 COMPACT NOW to continue. Paste this into Claude Code:');
    expect(plain.split('\n')).toContain('/compact Keep the objective "Ship it". Drop old tool output.');
    expect(plain).toContain('Total Potential:  6,500 tokens (compact now)');
  });

  it('says what it does not know: unknown context, nothing to compact', () => {
    const unknown = specExample({ tokens: null, percent: null, level: null, nextAlert: null, recommendation: 'No response yet: the context is measured after the first response.', breakdown: { ...specExample().breakdown, scaled: false }, compaction: { ...specExample().compaction, opportunities: [], potentialSavings: 0 } });
    const text = renderContextPanel(unknown, { color: false });
    expect(text).toContain('Total Context:    unknown / 180,000 tokens');
    expect(text).toContain('Nothing worth compacting yet.');
    expect(text).toContain('Raw estimate');
    expect(text).toContain('ℹ️  No response yet');
  });

  it('shows an extended window, compactions and images', () => {
    const big = specExample({ windowSize: 1_000_000, windowSource: 'measured', usableLimit: 900_000, autoCompactAt: 900_000, compactions: 2, lastCompaction: { at: '2026-01-06T15:00:00.000Z', trigger: 'manual', preTokens: 170_000, postTokens: null }, breakdown: { ...specExample().breakdown, images: 2 } });
    const text = renderContextPanel(big, { color: false, timeZone: 'UTC' });
    expect(text).toContain('Window:           1,000,000 tokens (auto-compact at 900,000, extended: context above 200k seen)');
    expect(text).toContain('Compacted:        2× · last manual at 1/6/2026, 3:00:00 PM (170,000 → ? tokens)');
    expect(text).toContain('2 images at a fixed estimate');
  });
});

describe('the compaction brief and the status panel section', () => {
  it('ends the brief with the /compact line alone', () => {
    const text = renderCompactionBrief(specExample(), { color: false });
    const lines = text.split('\n');
    expect(lines[lines.length - 1]).toBe('/compact Keep the objective "Ship it". Drop old tool output.');
    expect(text).toContain('  Files edited:   src/a.ts');
    expect(text).toContain('    - [pending] Tests');
    expect(text).toContain('  Files only read: src/old.ts');
  });

  it('is built in core: the app’s plain brief is the terminal’s brief without its styles', () => {
    for (const level of [null, 'healthy', 'danger'] as const) {
      const context = specExample({ level });
      const coloured = renderCompactionBrief(context, { color: true });
      expect(coloured).not.toBe(stripAnsi(coloured));
      expect(compactionBriefText(context)).toBe(stripAnsi(coloured));
      expect(compactionBriefText(context)).toBe(renderCompactionBrief(context, { color: false }));
    }
  });

  it('renders the /session-status CONTEXT WINDOW section as the spec shows it', () => {
    const lines = contextWindowSection(specExample(), { color: false });
    expect(lines).toEqual([
      '📝 CONTEXT WINDOW (Session)',
      '━'.repeat(40),
      'Model:        Claude Sonnet 4.5',
      'Limit:        180,000 tokens (usable)',
      'Used:         68,000 tokens (38%)',
      'Remaining:    112,000 tokens (62%)',
      'Context:      [████████              ] 38%',
      'Status:       🟢 HEALTHY - Normal operation',
      'Est. Time:    ~2h 48m before auto-compact',
      '',
      '📋 Status & Recommendation:',
      '   🟢 HEALTHY: 112,000 tokens context remaining.',
      '   Continue coding normally. Use Edit over Read+Write when possible.',
      '',
      '📢 Next Alert:   50% context (~90,000 tokens)',
    ]);
    expect(contextWindowSection(null, { color: false })[2]).toBe('No Claude Code session found yet.');
  });

  it('names models for people', () => {
    expect(modelDisplayName('claude-opus-4-6')).toBe('Claude Opus 4.6');
    expect(modelDisplayName('claude-sonnet-4-5-20250929')).toBe('Claude Sonnet 4.5');
    expect(modelDisplayName('claude-haiku-4-20250101')).toBe('Claude Haiku 4');
    expect(modelDisplayName('gpt-x')).toBe('gpt-x');
    expect(modelDisplayName(null)).toBe('unknown');
  });
});
