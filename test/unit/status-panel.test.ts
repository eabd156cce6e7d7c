import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderStatusPanel, type StatusPanelOptions } from '../../main/cli/render/status-panel.js';
import { createStyle, shouldUseColor, stripAnsi } from '../../main/cli/render/terminal.js';
import { quotaLevelInfo, quotaLevelRow, type QuotaLevel } from '../../shared/levels.js';
import type { PlanInfo, Snapshot } from '../../shared/snapshot.js';
import { snapshotFixture as fixture } from '../fixtures/snapshot-fixtures.js';

// The transcript-only fixtures: the consistency checks below are the local window rule's.
const FIXTURES = ['active-good', 'idle-auto', 'critical-limit'] as const;

const PLAIN: StatusPanelOptions = { color: false, timeZone: 'UTC' };
const RULE = '━'.repeat(40);
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

function render(snapshot: Snapshot, opts: StatusPanelOptions = PLAIN): string[] {
  return renderStatusPanel(snapshot, opts).split('\n');
}

/** The lines from `title` up to the next blank line. */
function block(lines: string[], title: string): string[] {
  const start = lines.indexOf(title);
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

function lineStarting(lines: string[], prefix: string): string | undefined {
  return lines.find((line) => line.startsWith(prefix));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('renderStatusPanel: active window (the spec example)', () => {
  const lines = render(fixture('active-good'));

  it('prints the header and the spec sections in order', () => {
    expect(lines.slice(0, 3)).toEqual(['📊 Claude Code Session Status', RULE, '']);
    const titles = [
      '📅 SESSION WINDOW (5-hour limit)',
      '🎯 TOKEN QUOTA (Rolling 5-hour window)',
      '📋 Status & Recommendation:',
      '📝 CONTEXT WINDOW (Session)',
      '⚡ COMBINED HEALTH: GOOD',
    ];
    const positions = titles.map((title) => lines.indexOf(title));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('prints the token quota section with exact values', () => {
    expect(block(lines, '🎯 TOKEN QUOTA (Rolling 5-hour window)')).toEqual([
      '🎯 TOKEN QUOTA (Rolling 5-hour window)',
      RULE,
      'Plan:         PRO (200,000 tokens per 5h, estimate)',
      'Source:       local estimate from your transcripts',
      // 85,000 / 200,000 = 42.5%: left is rounded as the engine's recommendation rounds it (58%),
      // used is its complement, so the two agree with the spec and add up to 100.
      'Used:         85,000 tokens (42%)',
      'Remaining:    115,000 tokens (58%)',
      'Usage:        [█████████             ] 42%',
      'Burn Rate:    630 tokens/min',
      'Est. Runway:  ~182 minutes (77 tool calls)',
      'Window start: 1/6/2025, 2:30:00 PM',
      'Resets at:    1/6/2025, 7:30:00 PM',
      'Resets in:    2h 45m',
      'Tokens:       12,400 input · 72,600 output · 48,210 cache writes · 1,234,567 cache reads',
      'Counted:      input + output',
      'Messages:     142 (57 tool calls)',
    ]);
  });

  it('prints the engine recommendation as the spec lays it out, and the next alert', () => {
    expect(block(lines, '📋 Status & Recommendation:')).toEqual([
      '📋 Status & Recommendation:',
      // The spec's example says MODERATE here, but 42.5% is in GOOD's band (25-50%) in both tables.
      '   ✅ GOOD: 115,000 tokens remaining (58% left).',
      '   Large tasks OK (60-80k tokens, 40-55 tool calls).',
    ]);
    expect(lines).toContain('📢 Next Alert:   50% usage (~15,000 tokens)');
  });

  it('shows no made-up session or context figures', () => {
    expect(block(lines, '📅 SESSION WINDOW (5-hour limit)')).toEqual([
      '📅 SESSION WINDOW (5-hour limit)',
      RULE,
      'Status:       No active session',
      'Sessions are seen from the transcripts; cco install adds hooks that report starts and ends at once.',
    ]);
    expect(block(lines, '📝 CONTEXT WINDOW (Session)')).toEqual([
      '📝 CONTEXT WINDOW (Session)',
      RULE,
      'No Claude Code session found yet.',
    ]);
    for (const label of ['Session ID:', 'Elapsed:', 'Model:', 'Context:']) {
      expect(lineStarting(lines, label)).toBeUndefined();
    }
  });

  it('bases combined health on the quota and says so', () => {
    expect(block(lines, '⚡ COMBINED HEALTH: GOOD')).toEqual([
      '⚡ COMBINED HEALTH: GOOD',
      '   Quota is healthy. Continue current work.',
      '   Based on the token quota only: no current session to measure the context of.',
    ]);
  });

  it('ends with the health block when there is nothing to diagnose, without a trailing newline', () => {
    expect(lines.at(-1)).toBe('   Based on the token quota only: no current session to measure the context of.');
  });

  it('shows times in the requested zone', () => {
    const ny = render(fixture('active-good'), { color: false, timeZone: 'America/New_York' });
    expect(lineStarting(ny, 'Window start:')).toBe('Window start: 1/6/2025, 9:30:00 AM');
    expect(lineStarting(ny, 'Resets at:')).toBe('Resets at:    1/6/2025, 2:30:00 PM');
    expect(lineStarting(ny, 'Resets in:')).toBe('Resets in:    2h 45m');
  });

  it('formats numbers in the requested locale', () => {
    const de = render(fixture('active-good'), { color: false, timeZone: 'UTC', locale: 'de-DE' });
    expect(lineStarting(de, 'Used:')).toBe('Used:         85.000 tokens (42%)');
    expect(lineStarting(de, 'Resets at:')).toBe('Resets at:    6.1.2025, 19:30:00');
  });
});

describe('renderStatusPanel: countdowns come from generatedAt', () => {
  it('ignores the real clock', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-07-01T00:00:00Z'));
    expect(lineStarting(render(fixture('active-good')), 'Resets in:')).toBe('Resets in:    2h 45m');
  });

  it.each<[string, string]>([
    ['2025-01-06T17:45:00.000Z', '1h 45m'],
    ['2025-01-06T19:29:10.000Z', '<1m'],
    ['2025-01-06T19:31:00.000Z', '0m'],
  ])('generatedAt %s → Resets in %s', (generatedAt, expected) => {
    const snapshot = { ...fixture('active-good'), generatedAt };
    expect(lineStarting(render(snapshot), 'Resets in:')).toBe(`Resets in:    ${expected}`);
  });

  it('counts the limit-reached reset from generatedAt too', () => {
    const snapshot = { ...fixture('critical-limit'), generatedAt: '2025-01-08T02:30:00.000Z' };
    expect(render(snapshot)).toContain('Usage limit reached; resets at 1/8/2025, 3:00:00 AM (in 30m)');
  });
});

describe('renderStatusPanel: no active window', () => {
  const lines = render(fixture('idle-auto'));

  it('says the next message starts a window and the full quota is available', () => {
    expect(block(lines, '🎯 TOKEN QUOTA (Rolling 5-hour window)')).toEqual([
      '🎯 TOKEN QUOTA (Rolling 5-hour window)',
      RULE,
      'Plan:         AUTO (123,456 tokens per 5h, learned from 14 windows)',
      'Source:       local estimate from your transcripts',
      'Window:       No active window: the next message starts a new 5-hour window.',
      'Remaining:    123,456 tokens (100%, full quota available)',
      'Usage:        [                      ] 0%',
      'Last active:  1/6/2025, 10:13:00 PM',
    ]);
  });

  it('shows the fresh level and the first threshold', () => {
    expect(lines).toContain('   🎯 FRESH: 123,456 tokens remaining (100% left).');
    expect(lines).toContain('   Full quota. Strategic planning time.');
    expect(lines).toContain('📢 Next Alert:   10% usage (~12,346 tokens)');
  });

  it('adds one note per diagnostic at the end', () => {
    expect(lines.slice(-4)).toEqual([
      '',
      'Skipped 3 of 5,210 transcript lines (2 malformed, 1 API error)',
      'Could not read /home/dev/.claude/projects/-home-dev-secret/9f1c2d3e.jsonl: EACCES',
      'quota-tracker.json was corrupt; moved aside to quota-tracker.json.corrupt-20250107T085912Z',
    ]);
  });

  it('dims the diagnostic notes when colour is on', () => {
    const colored = render(fixture('idle-auto'), { color: true, timeZone: 'UTC' });
    expect(colored).toContain('\u001b[2mCould not read /home/dev/.claude/projects/-home-dev-secret/9f1c2d3e.jsonl: EACCES\u001b[22m');
  });
});

describe('renderStatusPanel: critical, usage limit reached', () => {
  const lines = render(fixture('critical-limit'));

  it('leads the quota section with the limit line, and says when the limit came early', () => {
    expect(block(lines, '🎯 TOKEN QUOTA (Rolling 5-hour window)').slice(0, 11)).toEqual([
      '🎯 TOKEN QUOTA (Rolling 5-hour window)',
      RULE,
      'Usage limit reached; resets at 1/8/2025, 3:00:00 AM (in 1h 44m)',
      "Claude Code hit the limit at 487,300 tokens, below this plan's 500,000: try `cco config set plan auto`.",
      'Plan:         TEAM (500,000 tokens per 5h, estimate)',
      'Source:       local estimate from your transcripts',
      // The engine puts percentUsed at 100 once Claude Code reports the limit.
      'Used:         487,300 tokens (100%)',
      'Remaining:    0 tokens (0%)',
      'Usage:        [██████████████████████] 100%',
      'Burn Rate:    2,261 tokens/min (last hour: 3,125 tokens/min)',
      'Est. Runway:  none (quota spent)',
    ]);
  });

  it('does not hint at a lower limit when usage reached the plan limit', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.currentWindow = { ...snapshot.quota.currentWindow!, tokensUsed: 500_000 };
    expect(render(snapshot).some((line) => line.startsWith('Claude Code hit the limit'))).toBe(false);
  });

  it('shows the limit recommendation, no next alert and the health verdict', () => {
    expect(block(lines, '📋 Status & Recommendation:')).toEqual([
      '📋 Status & Recommendation:',
      '   🚨 LIMIT REACHED: Claude Code reports the usage limit is reached until the reset.',
      '   Save work; schedule the next session for after the reset.',
    ]);
    expect(lines).toContain('📢 Next Alert:   none (all thresholds passed)');
    expect(lines).toContain('⚡ COMBINED HEALTH: LIMIT REACHED');
  });

  it('colours the recommendation headline with the level colour', () => {
    const colored = render(fixture('critical-limit'), { color: true, timeZone: 'UTC' });
    expect(colored).toContain(
      '   \u001b[31m\u001b[1m🚨 LIMIT REACHED:\u001b[22m\u001b[39m Claude Code reports the usage limit is reached until the reset.',
    );
  });

  it('colours the limit line red', () => {
    const colored = render(fixture('critical-limit'), { color: true, timeZone: 'UTC' });
    const limit = colored.find((line) => line.includes('Usage limit reached;'));
    expect(limit).toBe('\u001b[1m\u001b[31mUsage limit reached; resets at 1/8/2025, 3:00:00 AM (in 1h 44m)\u001b[39m\u001b[22m');
  });

  it('falls back to the window reset when the limit line gives no time', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.limitReached = { observedAt: '2025-01-08T01:14:58.000Z', resetsAt: null, text: "You've hit your limit", rateLimitType: null };
    snapshot.quota.currentWindow = { ...snapshot.quota.currentWindow!, resetTime: '2025-01-08T02:40:00.000Z' };
    expect(render(snapshot)).toContain('Usage limit reached; resets at 1/8/2025, 2:40:00 AM (in 1h 24m)');
  });

  it('says the reset time is unknown when nothing gives one', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.limitReached = { observedAt: '2025-01-08T01:14:58.000Z', resetsAt: null, text: "You've hit your limit", rateLimitType: null };
    snapshot.quota.currentWindow = null;
    expect(render(snapshot)).toContain('Usage limit reached; reset time unknown');
  });
});

describe('renderStatusPanel: colour', () => {
  it.each(FIXTURES)('%s: no ANSI codes when color is false', (name) => {
    expect(renderStatusPanel(fixture(name), PLAIN)).not.toMatch(ANSI);
  });

  it.each(FIXTURES)('%s: coloured output is the plain output plus escape codes', (name) => {
    const colored = renderStatusPanel(fixture(name), { color: true, timeZone: 'UTC' });
    expect(colored).toMatch(ANSI);
    expect(stripAnsi(colored)).toBe(renderStatusPanel(fixture(name), PLAIN));
  });

  it.each<[QuotaLevel, string]>([
    ['fresh', '\u001b[32m'],
    ['excellent', '\u001b[32m'],
    ['good', '\u001b[32m'],
    ['moderate', '\u001b[33m'],
    ['high', '\u001b[33m'],
    ['danger', '\u001b[31m'],
    ['critical', '\u001b[31m'],
  ])('level %s is shown in %j', (level, code) => {
    const snapshot = fixture('active-good');
    snapshot.quota.level = level;
    snapshot.quota.recommendation = '';
    const line = render(snapshot, { color: true, timeZone: 'UTC' }).find((l) => l.includes('tokens remaining ('));
    const { emoji, label } = quotaLevelInfo(level);
    expect(line).toBe(`   ${code}\u001b[1m${emoji} ${label}:\u001b[22m\u001b[39m 115,000 tokens remaining (58% left).`);
  });
});

describe('renderStatusPanel: variations', () => {
  it.each<[PlanInfo, string]>([
    [{ name: 'pro', limit: 200_000, limitSource: 'preset', learnedFromWindows: null }, 'PRO (200,000 tokens per 5h, estimate)'],
    [{ name: 'max20', limit: 4_000_000, limitSource: 'preset', learnedFromWindows: null }, 'MAX20 (4,000,000 tokens per 5h, estimate)'],
    [{ name: 'custom', limit: 150_000, limitSource: 'custom', learnedFromWindows: null }, 'CUSTOM (150,000 tokens per 5h, your setting)'],
    [{ name: 'auto', limit: 123_456, limitSource: 'learned', learnedFromWindows: 1 }, 'AUTO (123,456 tokens per 5h, learned from 1 window)'],
    [{ name: 'auto', limit: 200_000, limitSource: 'learned-fallback', learnedFromWindows: 2 }, 'AUTO (200,000 tokens per 5h, estimate: only 2 windows to learn from)'],
    [{ name: 'auto', limit: 200_000, limitSource: 'learned-fallback', learnedFromWindows: null }, 'AUTO (200,000 tokens per 5h, estimate: no completed windows to learn from yet)'],
  ])('plan line for %j', (plan, expected) => {
    const snapshot = { ...fixture('active-good'), plan };
    expect(lineStarting(render(snapshot), 'Plan:')).toBe(`Plan:         ${expected}`);
  });

  it('shows the last-hour burn rate only when it differs', () => {
    const snapshot = fixture('active-good');
    snapshot.quota.burnRate = { tokensPerMinute: 629.6, lastHourTokensPerMinute: 812.4, series: [] };
    expect(lineStarting(render(snapshot), 'Burn Rate:')).toBe('Burn Rate:    630 tokens/min (last hour: 812 tokens/min)');
    snapshot.quota.burnRate = { tokensPerMinute: 629.6, lastHourTokensPerMinute: 630.4, series: [] };
    expect(lineStarting(render(snapshot), 'Burn Rate:')).toBe('Burn Rate:    630 tokens/min');
  });

  it('shows "—" for the runway when not burning', () => {
    const snapshot = fixture('active-good');
    snapshot.quota.runway = { ...snapshot.quota.runway, minutes: null };
    expect(lineStarting(render(snapshot), 'Est. Runway:')).toBe('Est. Runway:  — (not burning)');
  });

  it('shows "<1 minute" for a runway under a minute', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.currentWindow = { ...snapshot.quota.currentWindow!, remaining: 900 };
    snapshot.quota.runway = { ...snapshot.quota.runway, minutes: 0.4, toolCalls: 1 };
    expect(lineStarting(render(snapshot), 'Est. Runway:')).toBe('Est. Runway:  <1 minute (1 tool call)');
  });

  it('lists every counted kind', () => {
    const snapshot = fixture('active-good');
    snapshot.quota.countedKinds = ['input', 'output', 'cacheCreation', 'cacheRead'];
    expect(lineStarting(render(snapshot), 'Counted:')).toBe('Counted:      input + output + cache writes + cache reads');
  });

  it('falls back to the level advice of the table in use when there is no recommendation', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.recommendation = '';
    snapshot.quota.level = 'high';
    snapshot.quota.percentUsed = 84.4;
    snapshot.quota.currentWindow = { ...snapshot.quota.currentWindow!, remaining: 78_000 };
    expect(block(render(snapshot), '📋 Status & Recommendation:')).toEqual([
      '📋 Status & Recommendation:',
      '   ⚠️ HIGH USAGE: 78,000 tokens remaining (16% left).',
      '   Small tasks only (<30k tokens, ~20 tool calls). Plan your next session.',
    ]);
    snapshot.quota.hyperaware = true;
    expect(render(snapshot)).toContain('   Small tasks only (<30k tokens, ~20 tool calls). Schedule larger work.');
  });

  it('puts a headline above a recommendation that is only advice', () => {
    const snapshot = fixture('active-good');
    snapshot.quota.level = 'moderate';
    snapshot.quota.recommendation = 'Medium tasks OK. Monitor burn rate.';
    expect(block(render(snapshot), '📋 Status & Recommendation:')).toEqual([
      '📋 Status & Recommendation:',
      '   💡 MODERATE: 115,000 tokens remaining (58% left).',
      '   Medium tasks OK. Monitor burn rate.',
    ]);
  });

  it('keeps a one-sentence headline recommendation on one line', () => {
    const snapshot = fixture('active-good');
    snapshot.quota.recommendation = '✅ GOOD: pace yourself.';
    expect(block(render(snapshot), '📋 Status & Recommendation:')).toEqual(['📋 Status & Recommendation:', '   ✅ GOOD: pace yourself.']);
  });

  it('keeps the remaining percent at 0 when usage runs over the limit', () => {
    const snapshot = fixture('critical-limit');
    snapshot.quota.limitReached = null;
    snapshot.quota.percentUsed = 104.2;
    snapshot.quota.currentWindow = { ...snapshot.quota.currentWindow!, tokensUsed: 521_000, remaining: 0 };
    const lines = render(snapshot);
    expect(lineStarting(lines, 'Used:')).toBe('Used:         521,000 tokens (104%)');
    expect(lineStarting(lines, 'Remaining:')).toBe('Remaining:    0 tokens (0%)');
    expect(lineStarting(lines, 'Usage:')).toBe(`Usage:        [${'█'.repeat(22)}] 104%`);
  });

  it.each<[QuotaLevel, string]>([
    ['fresh', 'GOOD'],
    ['excellent', 'GOOD'],
    ['good', 'GOOD'],
    ['moderate', 'GOOD'],
    ['high', 'CAUTION'],
    ['danger', 'DANGER'],
    ['critical', 'CRITICAL'],
  ])('combined health for %s is %s', (level, label) => {
    const snapshot = fixture('active-good');
    snapshot.quota.level = level;
    expect(render(snapshot)).toContain(`⚡ COMBINED HEALTH: ${label}`);
  });

  it('reports a single skipped line without a breakdown it does not have', () => {
    const snapshot = fixture('active-good');
    snapshot.diagnostics = { ...snapshot.diagnostics, linesRead: 0, linesSkipped: 1 };
    expect(render(snapshot).at(-1)).toBe('Skipped 1 transcript line');
  });

  it('names implausible and oversized lines, and the status-line figures left out', () => {
    const snapshot = fixture('active-good');
    snapshot.diagnostics = {
      ...snapshot.diagnostics,
      linesRead: 10,
      linesSkipped: 3,
      skipped: { ...snapshot.diagnostics.skipped, implausible: 2, oversized: 1 },
      statusLineRejected: { count: 4, last: 'rate_limits.five_hour.used_percentage 1775826000 is outside 0-100', lastAt: '2026-04-10T12:00:00.000Z' },
    };
    const lines = render(snapshot);
    expect(lines).toContain('Skipped 3 of 10 transcript lines (2 implausible usage, 1 oversized)');
    expect(lines.at(-1)).toBe('Left out 4 implausible status-line figures (latest: rate_limits.five_hour.used_percentage 1775826000 is outside 0-100)');
  });
});

describe('fixtures', () => {
  // Typed, so the compiler flags this when the Snapshot type changes; the test then flags a fixture
  // the builder (test/fixtures/snapshot-builder.ts) did not make complete.
  const reference: Snapshot = {
    version: 1,
    generatedAt: '',
    plan: { name: 'pro', limit: 0, limitSource: 'preset', learnedFromWindows: null },
    quota: {
      source: 'transcripts',
      server: null,
      weeklyLimitReached: false,
      windowAlignment: 'first-token',
      countedKinds: [],
      hyperaware: true,
      currentWindow: null,
      percentUsed: 0,
      level: 'fresh',
      burnRate: { tokensPerMinute: 0, lastHourTokensPerMinute: 0, series: [] },
      runway: { minutes: null, toolCalls: 0, tokensPerToolCall: 0, tokensPerToolCallSource: 'estimate' },
      forecast: { binding: null, fiveHour: { runsOutAt: null, percentAtReset: 0 }, sevenDay: null },
      recommendation: '',
      nextAlert: null,
      limitReached: null,
      lastActivity: null,
      reconciliation: null,
    },
    sessions: [],
    session: null,
    context: null,
    queue: { summary: { total: 0, done: 0, ready: 0, scheduled: 0, inProgress: 0, skipped: 0, blocked: 0 }, nextReady: null, ready: [], due: [], nextScheduled: null, inProgress: [], entries: [] },
    history: null,
    diagnostics: {
      roots: [],
      filesSeen: 0,
      filesRead: 0,
      filesSkippedOld: 0,
      bytesRead: 0,
      linesRead: 0,
      linesSkipped: 0,
      skipped: { malformed: 0, unknownType: 0, empty: 0, binary: 0, synthetic: 0, apiError: 0, implausible: 0, oversized: 0 },
      duplicatesDropped: 0,
      unreadable: [],
      statusLineRejected: { count: 0, last: null, lastAt: null },
      warnings: [],
    },
  };
  const keys = (value: object): string[] => Object.keys(value).sort();

  it.each(FIXTURES)('%s has exactly the Snapshot fields', (name) => {
    const snapshot = fixture(name);
    expect(keys(snapshot)).toEqual(keys(reference));
    expect(keys(snapshot.plan)).toEqual(keys(reference.plan));
    expect(keys(snapshot.quota)).toEqual(keys(reference.quota));
    expect(keys(snapshot.quota.burnRate)).toEqual(keys(reference.quota.burnRate));
    expect(keys(snapshot.quota.runway)).toEqual(keys(reference.quota.runway));
    expect(keys(snapshot.diagnostics)).toEqual(keys(reference.diagnostics));
    expect(keys(snapshot.diagnostics.skipped)).toEqual(keys(reference.diagnostics.skipped));
    if (snapshot.quota.currentWindow) {
      expect(keys(snapshot.quota.currentWindow)).toEqual(
        ['messages', 'remaining', 'resetTime', 'startTime', 'tokens', 'tokensUsed', 'toolCalls', 'lastActivity', 'placeholderOutput'].sort(),
      );
      expect(keys(snapshot.quota.currentWindow.tokens)).toEqual(['cacheCreation', 'cacheRead', 'input', 'output']);
    }
  });

  // The rules main/core/quota.ts applies, so the fixtures look like what the engine emits.
  it.each(FIXTURES)('%s is internally consistent', (name) => {
    const { plan, quota } = fixture(name);
    const window = quota.currentWindow;
    if (!window) {
      expect(quota.percentUsed).toBe(0);
      return;
    }
    const counted = quota.countedKinds.reduce((sum, kind) => sum + window.tokens[kind], 0);
    expect(counted).toBe(window.tokensUsed);
    const percent = (window.tokensUsed / plan.limit) * 100;
    if (quota.limitReached) {
      expect(window.remaining).toBe(0);
      expect(quota.percentUsed).toBe(Math.max(100, Math.round(percent * 10) / 10));
    } else {
      expect(window.remaining).toBe(Math.max(0, plan.limit - window.tokensUsed));
      expect(quota.percentUsed).toBe(Math.round(percent * 10) / 10);
    }
    expect(quota.level).toBe(quotaLevelRow(quota.percentUsed, quota.hyperaware).level);
  });
});

describe('terminal styles', () => {
  it('is the identity when disabled', () => {
    const style = createStyle(false);
    for (const fn of [style.bold, style.dim, style.red, style.yellow, style.green, style.cyan]) expect(fn('x')).toBe('x');
  });

  it.each<['bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan', string]>([
    ['bold', '\u001b[1mx\u001b[22m'],
    ['dim', '\u001b[2mx\u001b[22m'],
    ['red', '\u001b[31mx\u001b[39m'],
    ['yellow', '\u001b[33mx\u001b[39m'],
    ['green', '\u001b[32mx\u001b[39m'],
    ['cyan', '\u001b[36mx\u001b[39m'],
  ])('%s wraps its text when enabled', (name, expected) => {
    expect(createStyle(true)[name]('x')).toBe(expected);
  });

  it.each<[boolean | undefined, Record<string, string | undefined>, boolean]>([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [false, { FORCE_COLOR: '3' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('shouldUseColor(isTTY=%s, %j) → %s', (isTTY, env, expected) => {
    expect(shouldUseColor(isTTY === undefined ? {} : { isTTY }, env)).toBe(expected);
  });
});

describe('renderStatusPanel: server figures from the status line', () => {
  const base = fixture('active-good');
  const withServer: Snapshot = {
    ...base,
    quota: {
      ...base.quota,
      source: 'statusline',
      percentUsed: 61,
      server: {
        fiveHour: { usedPercent: 61, resetsAt: '2025-01-06T19:00:00.000Z' },
        sevenDay: { usedPercent: 100, resetsAt: '2025-01-09T08:00:00.000Z' },
        observedAt: '2025-01-06T16:40:00.000Z',
      },
      weeklyLimitReached: true,
    },
  };

  it('names the server as the source and shows the weekly window', () => {
    const text = renderStatusPanel(withServer, { color: false, timeZone: 'UTC' });
    expect(text).toContain("Source:       Claude's servers via the status line (seen 5m ago)");
    expect(text).toContain('Week:         100% of the week used, resets 1/9/2025, 8:00:00 AM (in 2d 15h): weekly limit reached');
  });

  it('shows the server usage even with no local window (usage from elsewhere)', () => {
    const noWindow: Snapshot = { ...withServer, quota: { ...withServer.quota, currentWindow: null } };
    const text = renderStatusPanel(noWindow, { color: false, timeZone: 'UTC' });
    expect(text).toContain('Usage:        [█████████████         ] 61% (server)');
    expect(text).not.toContain('full quota available');
  });
});

describe('renderStatusPanel: the current session window', () => {
  const base = fixture('active-good');
  const session: Snapshot['sessions'][number] = {
    sessionId: 'abc123def4567890',
    cwd: '/Users/dana/code/my-project',
    agent: '.claude/agents/planning-agent.md',
    transcriptPath: null,
    detectedBy: 'hook',
    startedAt: '2025-01-06T14:30:00.000Z',
    windowEnd: '2025-01-06T19:30:00.000Z',
    elapsedMinutes: 135,
    remainingMinutes: 165,
    progressPercent: 45,
    lastActivity: '2025-01-06T16:44:00.000Z',
    status: 'busy',
    tokens: { source: 'transcript', breakdown: { input: 1, output: 2, cacheCreation: 0, cacheRead: 0 }, counted: 3, messages: 2 },
    toolCalls: 4,
    cacheExpiresAt: '2025-01-06T17:44:00.000Z',
    cacheColdCost: 68_000,
    warningsPassed: [],
    nextWarning: { id: '1h', at: '2025-01-06T18:30:00.000Z' },
  };

  it('prints the spec SESSION WINDOW block', () => {
    const text = renderStatusPanel({ ...base, sessions: [session], session }, { color: false, timeZone: 'UTC' });
    expect(block(text.split('\n'), '📅 SESSION WINDOW (5-hour limit)')).toEqual([
      '📅 SESSION WINDOW (5-hour limit)',
      RULE,
      'Status:       🟢 Active',
      'Session ID:   abc123def456...',
      'Started:      1/6/2025, 2:30:00 PM',
      'Expires:      1/6/2025, 7:30:00 PM',
      'Elapsed:      2h 15m / 5h',
      'Remaining:    2h 45m',
      'Progress:     [██████████            ] 45%',
      'Agent:        planning-agent.md',
      'Working Dir:  my-project',
      'Tokens:       3 (2 responses, 4 tool calls)',
      'Next warning: 1h left, at 1/6/2025, 6:30:00 PM',
      'Prompt cache: cache cold in 59m · resuming cold re-writes 68,000 tokens',
    ]);
  });

  it('says when each live session\'s prompt cache goes cold (the Snapshot\'s instant is the clock)', () => {
    const cold = { ...session, sessionId: 'cold0000cold0000', cacheExpiresAt: '2025-01-06T16:30:00.000Z' };
    const fresh = { ...session, sessionId: 'noresp00noresp00', cacheExpiresAt: null, cacheColdCost: null };
    const lines = renderStatusPanel({ ...base, sessions: [session, cold, fresh], session }, { color: false, timeZone: 'UTC' }).split('\n');
    expect(lines).toContain('2 other live sessions: cco status --json lists them.');
    expect(lines).toContain('  cold0000cold...: cache cold');
    expect(lines.some((line) => line.includes('noresp00'))).toBe(false);
    const none = renderStatusPanel({ ...base, sessions: [fresh], session: fresh }, { color: false, timeZone: 'UTC' });
    expect(none).not.toContain('Prompt cache');
  });
});
