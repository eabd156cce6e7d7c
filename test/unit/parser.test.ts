import { describe, expect, it } from 'vitest';
import { isInterestingLine, parseTranscriptLine } from '../../main/core/transcripts/parser.js';
import { emptyCounters, type ParseCounters, type TranscriptEvent } from '../../shared/events.js';
import { MAX_CONTEXT_TOKENS, MAX_OUTPUT_TOKENS } from '../../main/core/transcripts/plausible.js';
import { HOSTILE_USAGE, hostileAssistantLine } from '../fixtures/hostile-numbers.js';
import { assistantLine, compactBoundaryLine, toolUse, userLine } from '../fixtures/make-transcript.js';

const TS = '2026-01-15T12:00:00.000Z';
const TS_MS = Date.parse(TS);

type SkipCounter = Exclude<keyof ParseCounters, 'lines' | 'parsed'>;
const SKIP_COUNTERS: readonly SkipCounter[] = ['malformed', 'unknownType', 'empty', 'binary', 'synthetic', 'apiError', 'implausible', 'oversized'];

function parse(line: string, fastSkip?: boolean): { counters: ParseCounters; out: TranscriptEvent[] } {
  const counters = emptyCounters();
  const out: TranscriptEvent[] = [];
  parseTranscriptLine(line, counters, out, fastSkip);
  return { counters, out };
}

/** An assistant line as a JSON object, to be edited before stringifying. */
function assistantObject(overrides: Parameters<typeof assistantLine>[0]): Record<string, unknown> {
  return JSON.parse(assistantLine(overrides)) as Record<string, unknown>;
}

function usageOf(line: Record<string, unknown>): Record<string, unknown> {
  const message = line.message as Record<string, unknown>;
  return message.usage as Record<string, unknown>;
}

function onlyUsage(out: TranscriptEvent[]) {
  const usage = out.filter((event) => event.kind === 'usage');
  expect(usage).toHaveLength(1);
  const event = usage[0];
  if (!event || event.kind !== 'usage') throw new Error('no usage event');
  return event;
}

describe('parseTranscriptLine: lines that are skipped and counted', () => {
  const withoutTimestamp = assistantObject({ messageId: 'msg_nots', timestamp: TS, input: 10 });
  delete withoutTimestamp.timestamp;
  const badTimestamp = assistantObject({ messageId: 'msg_badts', timestamp: 'yesterday', input: 10 });
  const messageNotObject = { ...assistantObject({ messageId: 'msg_x', timestamp: TS }), message: 'oops' };

  const cases: { name: string; line: string; counter: SkipCounter }[] = [
    { name: 'truncated JSON of an assistant line', line: assistantLine({ messageId: 'msg_trunc', timestamp: TS, input: 5 }).slice(0, 120), counter: 'malformed' },
    { name: 'plain text', line: 'this is not json at all', counter: 'malformed' },
    { name: 'an object with a trailing comma', line: '{"type":"assistant","message":{},}', counter: 'malformed' },
    { name: 'a JSON array', line: '[{"type":"assistant"},1,2]', counter: 'malformed' },
    { name: 'a JSON number', line: '42', counter: 'malformed' },
    { name: 'a JSON string', line: '"assistant"', counter: 'malformed' },
    { name: 'JSON null', line: 'null', counter: 'malformed' },
    { name: 'an object without type', line: '{"sessionId":"s","timestamp":"2026-01-15T12:00:00.000Z"}', counter: 'malformed' },
    { name: 'an object whose type is not a string', line: '{"type":7,"timestamp":"2026-01-15T12:00:00.000Z"}', counter: 'malformed' },
    { name: 'an assistant line without timestamp', line: JSON.stringify(withoutTimestamp), counter: 'malformed' },
    { name: 'an assistant line with an unparseable timestamp', line: JSON.stringify(badTimestamp), counter: 'malformed' },
    { name: 'an assistant line whose message is not an object', line: JSON.stringify(messageNotObject), counter: 'malformed' },
    { name: 'an empty line', line: '', counter: 'empty' },
    { name: 'a whitespace-only line', line: ' \t  \r', counter: 'empty' },
    { name: 'a line with a literal NUL byte', line: `{"type":"assistant","x":"a\u0000b"}`, counter: 'binary' },
    { name: 'binary garbage', line: '\u0000\u0001\u0002PK\u0003\u0004\u00ff', counter: 'binary' },
    { name: 'an unknown type', line: '{"type":"hologram-sync","sessionId":"s","timestamp":"2026-01-15T12:00:00.000Z"}', counter: 'unknownType' },
    {
      name: 'a <synthetic> model line',
      line: assistantLine({ messageId: 'msg_syn', timestamp: TS, model: '<synthetic>', input: 0, content: [{ type: 'text', text: 'No response requested.' }] }),
      counter: 'synthetic',
    },
    {
      name: 'an isApiErrorMessage line',
      line: assistantLine({ messageId: 'msg_err', timestamp: TS, apiError: true, input: 100, output: 50, content: [{ type: 'text', text: 'API Error: 529 Overloaded' }] }),
      counter: 'apiError',
    },
  ];

  it.each(cases)('$name → $counter, no event', ({ line, counter }) => {
    // The reader parses with fastSkip=false (it has its own fast path), so test that mode.
    const { counters, out } = parse(line, false);
    expect(out).toEqual([]);
    expect(counters.lines).toBe(1);
    expect(counters.parsed).toBe(0);
    for (const key of SKIP_COUNTERS) expect(counters[key], key).toBe(key === counter ? 1 : 0);
  });

  it('never throws on any of them in the default (fast-skip) mode either', () => {
    const counters = emptyCounters();
    const out: TranscriptEvent[] = [];
    for (const { line } of cases) parseTranscriptLine(line, counters, out);
    expect(out).toEqual([]);
    expect(counters.lines).toBe(cases.length);
  });

  it('a usage-limit text in a <synthetic> line yields a limit event (and the line is still counted as synthetic)', () => {
    const line = assistantLine({
      messageId: 'msg_limit',
      timestamp: TS,
      model: '<synthetic>',
      content: [{ type: 'text', text: 'Claude AI usage limit reached|1768492800' }],
    });
    const { counters, out } = parse(line);
    expect(counters.synthetic).toBe(1);
    expect(counters.parsed).toBe(0);
    expect(out).toEqual([{ kind: 'limit', timestamp: TS_MS, sessionId: expect.any(String) as string, resetsAt: 1_768_492_800_000, text: expect.stringContaining('1768492800') as string, rateLimitType: null }]);
  });

  it('a usage-limit text in an isApiErrorMessage line (newer form) yields a limit event', () => {
    const line = assistantLine({
      messageId: 'msg_limit2',
      timestamp: '2026-01-15T12:00:00.000Z',
      apiError: true,
      content: [{ type: 'text', text: "You've hit your limit · resets 8pm (Europe/Paris)" }],
    });
    const { counters, out } = parse(line);
    expect(counters.apiError).toBe(1);
    expect(out).toHaveLength(1);
    const [event] = out;
    expect(event?.kind).toBe('limit');
    // January: Paris is UTC+1, so 8pm local is 19:00Z on the same day.
    if (event?.kind === 'limit') expect(event.resetsAt).toBe(Date.parse('2026-01-15T19:00:00.000Z'));
  });

  it('a limit text said by the model in a normal assistant line is not a limit signal', () => {
    const line = assistantLine({ messageId: 'msg_talk', timestamp: TS, input: 10, output: 20, content: [{ type: 'text', text: "If you see \"You've hit your limit · resets 8pm (Europe/Paris)\", wait." }] });
    const { out } = parse(line);
    expect(out.map((event) => event.kind)).toEqual(['usage']);
  });
});

describe('parseTranscriptLine: NUL byte vs escaped \\u0000', () => {
  it('parses a valid line whose string holds the escaped \\u0000 sequence', () => {
    const line = assistantLine({ messageId: 'msg_nul', timestamp: TS, input: 7, output: 3, content: [{ type: 'text', text: 'before\u0000after' }] });
    expect(line).toContain('\\u0000');
    expect(line.includes('\u0000')).toBe(false);
    const { counters, out } = parse(line);
    expect(counters.binary).toBe(0);
    expect(counters.parsed).toBe(1);
    expect(onlyUsage(out).tokens).toEqual({ input: 7, output: 3, cacheCreation: 0, cacheRead: 0 });
  });

  it('skips the same line when it holds a literal NUL byte', () => {
    const line = assistantLine({ messageId: 'msg_nul', timestamp: TS, input: 7, output: 3 }).replace('Done.', 'Do\u0000ne.');
    const { counters, out } = parse(line);
    expect(counters.binary).toBe(1);
    expect(out).toEqual([]);
  });
});

describe('parseTranscriptLine: lines of known types that carry no event', () => {
  const lines: { name: string; line: string }[] = [
    { name: 'user prompt', line: userLine({ timestamp: TS, text: 'Add invoice totals' }) },
    { name: 'tool result', line: userLine({ timestamp: TS, toolResultFor: 'toolu_1', text: 'export const a = 1;' }) },
    { name: 'summary', line: '{"type":"summary","summary":"Invoice totals","leafUuid":"u1"}' },
    { name: 'file-history-snapshot', line: '{"type":"file-history-snapshot","messageId":"m","snapshot":{"trackedFileBackups":{}},"isSnapshotUpdate":false}' },
    { name: 'system turn_duration', line: '{"type":"system","subtype":"turn_duration","durationMs":1200,"timestamp":"2026-01-15T12:00:00.000Z"}' },
  ];
  it.each(lines)('$name: parsed, no event (both modes)', ({ line }) => {
    for (const fastSkip of [true, false]) {
      const { counters, out } = parse(line, fastSkip);
      expect(out).toEqual([]);
      expect(counters).toMatchObject({ lines: 1, parsed: 1, malformed: 0, unknownType: 0 });
    }
  });

  it('the fast path only skips lines that cannot hold an event', () => {
    expect(isInterestingLine(userLine({ timestamp: TS }))).toBe(false);
    expect(isInterestingLine(assistantLine({ messageId: 'msg_1', timestamp: TS }))).toBe(true);
    expect(isInterestingLine(compactBoundaryLine({ timestamp: TS }))).toBe(true);
    expect(isInterestingLine('{"type":"user","message":{"content":"Claude AI usage limit reached|1736200800"}}')).toBe(true);
  });

  it('an unknown type yields no event in the default mode too', () => {
    const { counters, out } = parse('{"type":"hologram-sync","sessionId":"s"}');
    expect(out).toEqual([]);
    expect(counters.lines).toBe(1);
  });
});

describe('parseTranscriptLine: usage events', () => {
  it('reads the real example line of claude-code-facts.md §2', () => {
    const line =
      '{"parentUuid":"b7d1e2f3-4a5b-4c6d-8e9f-0a1b2c3d4e5f","isSidechain":false,"userType":"external","cwd":"/Users/dana/code/invoice-api","sessionId":"8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6","version":"2.1.98","gitBranch":"main","message":{"id":"msg_01Hq7TzP4kV2mXc9RbN3sLwE","type":"message","role":"assistant","model":"claude-opus-4-6","content":[{"type":"tool_use","id":"toolu_01Jx5Yd8QwE3nRt6UvB2cKmA","name":"Grep","input":{"pattern":"invoices","path":"src"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":6,"cache_creation_input_tokens":2214,"cache_read_input_tokens":48790,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":2214},"output_tokens":97,"service_tier":"standard"}},"requestId":"req_011CZa8pQ3vLm2Tn5Wx7Yb9D","type":"assistant","uuid":"4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f","timestamp":"2026-04-10T09:14:07.902Z"}';
    const { counters, out } = parse(line);
    expect(counters).toMatchObject({ lines: 1, parsed: 1 });
    expect(out).toEqual([
      { kind: 'tool', id: 'toolu_01Jx5Yd8QwE3nRt6UvB2cKmA', name: 'Grep', timestamp: Date.parse('2026-04-10T09:14:07.902Z'), sessionId: '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6', sidechain: false },
      {
        kind: 'usage',
        key: 'msg_01Hq7TzP4kV2mXc9RbN3sLwE:req_011CZa8pQ3vLm2Tn5Wx7Yb9D',
        timestamp: Date.parse('2026-04-10T09:14:07.902Z'),
        sessionId: '8c4e2f6a-1b3d-4c5e-9f70-a1b2c3d4e5f6',
        model: 'claude-opus-4-6',
        sidechain: false,
        tokens: { input: 6, output: 97, cacheCreation: 2214, cacheRead: 48790 },
      },
    ]);
  });

  const cacheCases: { name: string; cci: number | undefined; breakdown: { m5: number; h1: number } | null; expected: number }[] = [
    { name: 'breakdown present: 5m + 1h', cci: 350, breakdown: { m5: 200, h1: 150 }, expected: 350 },
    { name: 'breakdown present, 5m only', cci: 200, breakdown: { m5: 200, h1: 0 }, expected: 200 },
    { name: 'past bug: cache_creation_input_tokens 0 but breakdown non-zero', cci: 0, breakdown: { m5: 300, h1: 1200 }, expected: 1500 },
    { name: 'breakdown disagrees with the total: the breakdown wins', cci: 999, breakdown: { m5: 100, h1: 20 }, expected: 120 },
    { name: 'breakdown absent (older versions): cache_creation_input_tokens', cci: 700, breakdown: null, expected: 700 },
    { name: 'neither present', cci: undefined, breakdown: null, expected: 0 },
    // Lenient choice of the parser: an all-zero breakdown does not hide a non-zero total (never under-count).
    { name: 'all-zero breakdown with a non-zero total', cci: 640, breakdown: { m5: 0, h1: 0 }, expected: 640 },
  ];
  it.each(cacheCases)('cache writes: $name → $expected', ({ cci, breakdown, expected }) => {
    const line = assistantObject({ messageId: 'msg_cache', timestamp: TS, input: 1, output: 2, cacheRead: 3 });
    const usage = usageOf(line);
    if (cci === undefined) delete usage.cache_creation_input_tokens;
    else usage.cache_creation_input_tokens = cci;
    if (breakdown) usage.cache_creation = { ephemeral_5m_input_tokens: breakdown.m5, ephemeral_1h_input_tokens: breakdown.h1 };
    else delete usage.cache_creation;
    const { out } = parse(JSON.stringify(line));
    expect(onlyUsage(out).tokens).toEqual({ input: 1, output: 2, cacheCreation: expected, cacheRead: 3 });
  });

  it('null token values read as absent (0): fields are optional across versions', () => {
    const line = assistantObject({ messageId: 'msg_null', timestamp: TS, input: 10, output: 20, cacheWrite5m: 30, cacheRead: 40 });
    const usage = usageOf(line);
    usage.input_tokens = null;
    usage.cache_creation = { ephemeral_5m_input_tokens: null, ephemeral_1h_input_tokens: null };
    const { counters, out } = parse(JSON.stringify(line));
    expect(counters).toMatchObject({ parsed: 1, implausible: 0 });
    expect(onlyUsage(out).tokens).toEqual({ input: 0, output: 20, cacheCreation: 30, cacheRead: 40 });
  });

  it.each(HOSTILE_USAGE)('a response with $name is rejected whole and counted as implausible', (hostile) => {
    const line = hostileAssistantLine(hostile, { messageId: 'msg_bad', timestamp: TS });
    const withTool = line.replace('"content":[{"type":"text","text":"Done."}]', `"content":[${JSON.stringify(toolUse('Bash', 'toolu_bad'))}]`);
    for (const fastSkip of [true, false]) {
      const { counters, out } = parse(withTool, fastSkip);
      expect(counters).toMatchObject({ lines: 1, parsed: 0, implausible: 1 });
      expect(out).toEqual([]);
    }
  });

  it('figures at the bounds are real responses: 1M of context, 128K (2^17) of output', () => {
    const atBounds = assistantLine({ messageId: 'msg_max', timestamp: TS, input: 400_000, cacheWrite1h: 100_000, cacheRead: 500_000, output: MAX_OUTPUT_TOKENS });
    const { counters, out } = parse(atBounds);
    expect(counters).toMatchObject({ parsed: 1, implausible: 0 });
    expect(onlyUsage(out).tokens).toEqual({ input: 400_000, output: MAX_OUTPUT_TOKENS, cacheCreation: 100_000, cacheRead: 500_000 });
    expect(400_000 + 100_000 + 500_000).toBe(MAX_CONTEXT_TOKENS);
  });

  it('an input side summing past the largest context window is rejected, though each figure is within it', () => {
    const over = assistantLine({ messageId: 'msg_sum', timestamp: TS, input: 400_000, cacheWrite1h: 100_001, cacheRead: 500_000 });
    const { counters, out } = parse(over);
    expect(counters).toMatchObject({ parsed: 0, implausible: 1 });
    expect(out).toEqual([]);
  });

  it('compaction pre/post tokens beyond any context window read as unknown', () => {
    const line = compactBoundaryLine({ timestamp: TS, preTokens: 5 }).replace('"preTokens":5', '"preTokens":1e308');
    expect(line).toContain('"preTokens":1e308');
    const { out } = parse(line);
    expect(out).toMatchObject([{ kind: 'compact', preTokens: null }]);
  });

  it('no usage object: a tool event may still come out, but no usage event', () => {
    const line = assistantObject({ messageId: 'msg_nousage', timestamp: TS, content: [toolUse('Bash', 'toolu_nu')] });
    delete (line.message as Record<string, unknown>).usage;
    const { counters, out } = parse(JSON.stringify(line));
    expect(counters.parsed).toBe(1);
    expect(out.map((event) => event.kind)).toEqual(['tool']);
  });

  const keyCases: { name: string; messageId: string | null; requestId: string | null; expected: string }[] = [
    { name: 'message.id + requestId', messageId: 'msg_K', requestId: 'req_K', expected: 'msg_K:req_K' },
    { name: 'message.id alone', messageId: 'msg_K', requestId: null, expected: 'msg_K' },
    { name: 'no message.id: the line uuid', messageId: null, requestId: 'req_K', expected: 'uuid:line-uuid-1' },
  ];
  it.each(keyCases)('dedup key: $name', ({ messageId, requestId, expected }) => {
    const line = assistantObject({ messageId: 'msg_tmp', timestamp: TS, input: 1 });
    const message = line.message as Record<string, unknown>;
    if (messageId === null) delete message.id;
    else message.id = messageId;
    if (requestId === null) delete line.requestId;
    else line.requestId = requestId;
    line.uuid = 'line-uuid-1';
    const { out } = parse(JSON.stringify(line));
    expect(onlyUsage(out).key).toBe(expected);
  });

  it('keeps sessionId, model and the sidechain flag', () => {
    const { out } = parse(assistantLine({ messageId: 'msg_side', timestamp: TS, sessionId: 'sess-9', model: 'claude-sonnet-4-5', sidechain: true, input: 1 }));
    expect(onlyUsage(out)).toMatchObject({ sessionId: 'sess-9', model: 'claude-sonnet-4-5', sidechain: true, timestamp: TS_MS });
  });
});

describe('parseTranscriptLine: tool events', () => {
  it('turns every tool_use block into a tool event, ignoring text and thinking blocks', () => {
    const line = assistantLine({
      messageId: 'msg_tools',
      timestamp: TS,
      sessionId: 'sess-t',
      sidechain: true,
      content: [
        { type: 'thinking', thinking: 'plan' },
        toolUse('Read', 'toolu_r', { file_path: 'a.ts' }),
        { type: 'text', text: 'and then' },
        toolUse('Edit', 'toolu_e', { file_path: 'a.ts' }),
      ],
      input: 1,
    });
    const { out } = parse(line);
    expect(out.filter((event) => event.kind === 'tool')).toEqual([
      { kind: 'tool', id: 'toolu_r', name: 'Read', timestamp: TS_MS, sessionId: 'sess-t', sidechain: true },
      { kind: 'tool', id: 'toolu_e', name: 'Edit', timestamp: TS_MS, sessionId: 'sess-t', sidechain: true },
    ]);
    expect(out.filter((event) => event.kind === 'usage')).toHaveLength(1);
  });

  it('a tool_use without id or name still counts, with a derived id and name "unknown"', () => {
    const { out } = parse(assistantLine({ messageId: 'msg_noid', timestamp: TS, content: [{ type: 'tool_use', input: {} }] }));
    const tool = out.find((event) => event.kind === 'tool');
    expect(tool).toMatchObject({ kind: 'tool', name: 'unknown' });
    expect(tool?.kind === 'tool' && tool.id.startsWith('msg_noid#')).toBe(true);
  });

  it('tool_use blocks in a <synthetic> line are not counted', () => {
    const { out } = parse(assistantLine({ messageId: 'msg_syn_tool', timestamp: TS, model: '<synthetic>', content: [toolUse('Bash', 'toolu_s')] }));
    expect(out).toEqual([]);
  });
});

describe('parseTranscriptLine: compaction', () => {
  it('compact_boundary with postTokens', () => {
    const { counters, out } = parse(compactBoundaryLine({ timestamp: TS, trigger: 'manual', preTokens: 155_000, postTokens: 12_000, sessionId: 'sess-c' }));
    expect(counters.parsed).toBe(1);
    expect(out).toEqual([{ kind: 'compact', timestamp: TS_MS, sessionId: 'sess-c', trigger: 'manual', preTokens: 155_000, postTokens: 12_000, micro: false }]);
  });

  it('compact_boundary without postTokens → postTokens null', () => {
    const { out } = parse(compactBoundaryLine({ timestamp: TS, trigger: 'auto', preTokens: 170_000 }));
    expect(out).toEqual([{ kind: 'compact', timestamp: TS_MS, sessionId: expect.any(String) as string, trigger: 'auto', preTokens: 170_000, postTokens: null, micro: false }]);
  });

  it('compact_boundary without metadata → unknown trigger, null figures', () => {
    const line = JSON.parse(compactBoundaryLine({ timestamp: TS })) as Record<string, unknown>;
    delete line.compactMetadata;
    const { out } = parse(JSON.stringify(line));
    expect(out).toMatchObject([{ kind: 'compact', trigger: 'unknown', preTokens: null, postTokens: null }]);
  });

  it('microcompact_boundary is a micro compact event', () => {
    const line = '{"type":"system","subtype":"microcompact_boundary","microcompactMetadata":{"trigger":"auto","preTokens":90000},"sessionId":"s","timestamp":"2026-01-15T12:00:00.000Z"}';
    const { out } = parse(line);
    expect(out).toEqual([{ kind: 'compact', timestamp: TS_MS, sessionId: 's', trigger: 'auto', preTokens: 90_000, postTokens: null, micro: true }]);
  });

  it('compact_boundary without timestamp yields no event but does not fail', () => {
    const line = JSON.parse(compactBoundaryLine({ timestamp: TS, postTokens: 5 })) as Record<string, unknown>;
    delete line.timestamp;
    const { counters, out } = parse(JSON.stringify(line));
    expect(out).toEqual([]);
    expect(counters.parsed).toBe(1);
  });
});

describe('parseTranscriptLine: limit wording of recent versions', () => {
  // Regression: the "session limit" wording of Claude Code 2.1.20x was not recognised (see limit-signal.test.ts).
  it('a <synthetic> "You\'ve hit your session limit" line yields a limit event', () => {
    const line = assistantLine({
      messageId: 'msg_session_limit',
      timestamp: '2026-07-01T12:00:00.000Z',
      model: '<synthetic>',
      content: [{ type: 'text', text: "You've hit your session limit · resets 3:20am (Asia/Calcutta)" }],
    });
    const { out } = parse(line);
    expect(out).toMatchObject([{ kind: 'limit', resetsAt: Date.parse('2026-07-01T21:50:00.000Z') }]);
  });
});
