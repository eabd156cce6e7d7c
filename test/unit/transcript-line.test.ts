import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBlock } from '../../main/core/transcripts/blocks.js';
import { decodeLine, isCompactBoundaryLine, mayCarryEvent, rawTimestamp, skippableWithoutParse, type TranscriptLine } from '../../main/core/transcripts/line.js';
import { lineLimitSignal } from '../../main/core/transcripts/limit-signal.js';
import { MAX_CONTEXT_TOKENS, contextSize } from '../../main/core/transcripts/plausible.js';
import { cacheWrites, responseKey, responseTokens } from '../../main/core/transcripts/usage.js';
import { compactBoundaryLine } from '../fixtures/make-transcript.js';

// Lines the real client 2.1.332 wrote (test/fixtures/real-client/README.md).
const REAL = path.resolve(import.meta.dirname, '../fixtures/real-client');
function realLines(file: string): string[] {
  return fs.readFileSync(path.join(REAL, file), 'utf8').split('\n').filter((line) => line.length > 0);
}
const TOOL_TURN = realLines('transcript-tool-turn.jsonl');
const FAILURE = realLines('transcript-tool-failure.jsonl');
const INTERACTIVE = realLines('transcript-interactive.jsonl');
const API_ERRORS = realLines('api-error-429.jsonl');
const TRANSCRIPTS = [...TOOL_TURN, ...FAILURE, ...INTERACTIVE, ...realLines('transcript-text-turn.jsonl'), ...API_ERRORS];

function decoded(raw: string): TranscriptLine {
  const line = decodeLine(raw);
  if (line === null) throw new Error(`not decodable: ${raw.slice(0, 80)}`);
  return line;
}
function lineWhere(lines: string[], test: (line: TranscriptLine) => boolean): TranscriptLine {
  const found = lines.map(decoded).find(test);
  if (!found) throw new Error('no such line in the fixture');
  return found;
}
/**
 * A real line with some fields changed: the real shape, one detail hostile or missing. `changes`
 * maps dotted paths ("message.usage.input_tokens") to values; undefined deletes the field.
 */
function edited(raw: string, changes: Record<string, unknown>): string {
  const record = JSON.parse(raw) as Record<string, unknown>;
  for (const [dotted, value] of Object.entries(changes)) {
    const keys = dotted.split('.');
    const last = keys.pop() as string;
    let at = record;
    for (const key of keys) at = at[key] as Record<string, unknown>;
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return JSON.stringify(record);
}

const TOOL_CALL = TOOL_TURN.find((line) => line.includes('"tool_use"')) as string;
const TEXT_REPLY = TOOL_TURN.find((line) => line.includes('"msg_fake2"')) as string;
const TOOL_RESULT = TOOL_TURN.find((line) => line.includes('"tool_result"')) as string;
const FAILED_RESULT = FAILURE.find((line) => line.includes('"tool_result"')) as string;
const PROMPT = TOOL_TURN.find((line) => line.startsWith('{') && JSON.parse(line).type === 'user' && typeof JSON.parse(line).message.content === 'string') as string;

describe('skip test: which raw lines need no JSON.parse', () => {
  it('skips the real prompt, tool result and metadata lines, and the text and byte forms agree on every real line', () => {
    const skipped = TRANSCRIPTS.filter((line) => skippableWithoutParse(line));
    expect(skipped).toContain(PROMPT);
    expect(skipped).toContain(TOOL_RESULT);
    expect(skipped.map((line) => JSON.parse(line).type)).toEqual(expect.arrayContaining(['queue-operation', 'api-request', 'last-prompt', 'file-history-snapshot']));
    for (const line of TRANSCRIPTS) expect(skippableWithoutParse(Buffer.from(line)), line.slice(0, 60)).toBe(skippableWithoutParse(line));
  });

  it('never skips a line that carries an event: responses, API errors, compaction boundaries', () => {
    const responses = TRANSCRIPTS.filter((line) => JSON.parse(line).type === 'assistant');
    expect(responses.length).toBeGreaterThan(5);
    for (const line of [...responses, compactBoundaryLine({ timestamp: '2026-11-30T04:41:33.198Z' }), compactBoundaryLine({ timestamp: '2026-11-30T04:41:33.198Z' }).replace('compact_boundary', 'microcompact_boundary')]) {
      expect(mayCarryEvent(line)).toBe(true);
      expect(skippableWithoutParse(line)).toBe(false);
      expect(skippableWithoutParse(Buffer.from(line))).toBe(false);
    }
  });

  it('parses a line quoting a limit message (old and current text forms)', () => {
    for (const text of ['Claude AI usage limit reached|1736200800', "You've hit your weekly limit · resets Jan 2, 2027, 2pm (UTC)"]) {
      const line = edited(PROMPT, { 'message.content': text });
      expect(skippableWithoutParse(line)).toBe(false);
      expect(skippableWithoutParse(Buffer.from(line))).toBe(false);
    }
  });

  it('does not skip what is not one well-formed JSON object: the decoder must count it', () => {
    for (const line of [PROMPT.slice(0, -1), ` ${PROMPT}`, PROMPT.replace('"type":', '"kind":'), PROMPT.replace('"user"', '"us\u0000er"')]) {
      expect(skippableWithoutParse(line)).toBe(false);
      expect(skippableWithoutParse(Buffer.from(line))).toBe(false);
    }
  });
});

describe('decodeLine and the envelope', () => {
  it('reads the envelope of a real assistant line', () => {
    const line = decoded(TOOL_CALL);
    expect(line.type).toBe('assistant');
    expect(line.known).toBe(true);
    expect(line.sessionId).toBe('66aee251-1517-48c6-86e6-12a3a9143604');
    expect(line.cwd).toBe('/home/dana/code/invoice-api');
    expect(line.gitBranch).toBe('HEAD');
    expect(line.version).toBe('2.1.332');
    expect(line.uuid).toBe('e9c75240-0a56-4792-85df-52ed66696c38');
    expect(line.timestamp).toBe(Date.parse('2026-11-30T04:41:33.198Z'));
    expect(line.isSidechain).toBe(false);
    expect(line.isMeta).toBe(false);
    expect(line.isCompactSummary).toBe(false);
    expect(line.model).toBe('claude-opus-5-5');
    expect(line.messageId).toBe('msg_tool1');
    expect(line.requestId).toBe('req_fake2');
    expect(line.isResponse).toBe(true);
  });

  it('reads the flags when present and gives null for an unreadable timestamp', () => {
    const line = decoded(edited(PROMPT, { isSidechain: true, isMeta: true, isCompactSummary: true, timestamp: 'yesterday' }));
    expect([line.isSidechain, line.isMeta, line.isCompactSummary, line.timestamp]).toEqual([true, true, true, null]);
    expect(decoded(edited(PROMPT, { timestamp: undefined })).timestamp).toBeNull();
  });

  it('decodes every real line, and knows the types the client writes besides the ones it skips', () => {
    const types = TRANSCRIPTS.map((raw) => decoded(raw)).filter((line) => !line.known).map((line) => line.type);
    expect(new Set(types)).toEqual(new Set(['atis-latch', 'api-request', 'tools-used', 'cost-state', 'mode', 'permission-mode']));
  });

  it('reads the timestamp of raw bytes as the decoder does, without a parse', () => {
    const stamped = TRANSCRIPTS.filter((raw) => decoded(raw).timestamp !== null);
    expect(stamped.length).toBeGreaterThan(20);
    for (const raw of stamped) expect(rawTimestamp(Buffer.from(raw))).toBe(decoded(raw).timestamp);
    const unstamped = TRANSCRIPTS.find((raw) => !raw.includes('"timestamp"')) as string;
    expect(rawTimestamp(Buffer.from(unstamped))).toBeNull();
    expect(rawTimestamp(Buffer.from(edited(PROMPT, { timestamp: 'yesterday' })))).toBeNull();
  });

  it('gives null for what is not one JSON object with a string type', () => {
    for (const raw of ['not json', '[1,2]', 'null', '"assistant"', '{"message":{}}', '{"type":7}', TOOL_CALL.slice(0, 200)]) expect(decodeLine(raw)).toBeNull();
  });

  it('says which assistant lines are not responses: <synthetic>, and API errors by either marker', () => {
    const apiError = decoded(API_ERRORS[0] as string);
    expect([apiError.synthetic, apiError.apiError, apiError.isResponse]).toEqual([true, true, false]);
    const byStatus = decoded(edited(TEXT_REPLY, { apiErrorStatus: 529 }));
    expect([byStatus.synthetic, byStatus.apiError, byStatus.isResponse]).toEqual([false, true, false]);
    expect(decoded(TOOL_RESULT).isResponse).toBe(false);
  });
});

describe('the response key', () => {
  it('is message.id + requestId, message.id alone without a requestId, null without a message.id', () => {
    expect(responseKey('msg_tool1', 'req_fake2')).toBe('msg_tool1:req_fake2');
    expect(responseKey('msg_tool1', '')).toBe('msg_tool1');
    expect(responseKey('', 'req_fake2')).toBeNull();
  });

  it('names a real line by both ids, and a line without a message id by its uuid', () => {
    expect(decoded(TOOL_CALL).key).toBe('msg_tool1:req_fake2');
    expect(decoded(edited(TOOL_CALL, { requestId: undefined })).key).toBe('msg_tool1');
    expect(decoded(edited(TOOL_CALL, { 'message.id': undefined })).key).toBe('uuid:e9c75240-0a56-4792-85df-52ed66696c38');
    expect(decoded(edited(TOOL_CALL, { 'message.id': undefined, uuid: undefined })).key).toBeNull();
  });
});

describe('usage: the cache-write rule, the plausibility check, the context size', () => {
  it.each([
    { name: 'breakdown says more (5m + 1h)', created: 700, m5: 300, h1: 1200, expected: 1500 },
    { name: 'past bug: cache_creation_input_tokens 0, breakdown right', created: 0, m5: 300, h1: 1200, expected: 1500 },
    { name: 'breakdown all zero (real 2.1.332 lines): cache_creation_input_tokens', created: 500, m5: 0, h1: 0, expected: 500 },
    { name: 'no breakdown (older versions): cache_creation_input_tokens', created: 700, m5: null, h1: null, expected: 700 },
  ])('cacheWrites: $name', ({ created, m5, h1, expected }) => {
    expect(cacheWrites(created, m5, h1)).toBe(expected);
  });

  it('reads a real line: the 2.1.332 client writes a zero breakdown beside cache_creation_input_tokens', () => {
    const usage = decoded(TEXT_REPLY).usage();
    expect(usage).toEqual({ input: 1234, output: 42, cacheCreation: 500, cacheRead: 2000 });
    if (typeof usage === 'string') throw new Error('no tokens');
    expect(contextSize(usage)).toBe(1234 + 500 + 2000);
  });

  it('reads the breakdown of a real-shaped line when it says more', () => {
    const line = edited(TEXT_REPLY, { 'message.usage.cache_creation': { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 2214 } });
    expect(decoded(line).usage()).toMatchObject({ cacheCreation: 2314 });
  });

  it('says none without a usage object, implausible for figures no response can have', () => {
    expect(decoded(edited(TEXT_REPLY, { 'message.usage': undefined })).usage()).toBe('none');
    expect(decoded(PROMPT).usage()).toBe('none');
    const garbage = [1e308, -1, 1.5, '12', MAX_CONTEXT_TOKENS + 1];
    for (const value of garbage) {
      expect(decoded(edited(TEXT_REPLY, { 'message.usage.input_tokens': value })).usage(), String(value)).toBe('implausible');
    }
    expect(decoded(edited(TEXT_REPLY, { 'message.usage.cache_creation.ephemeral_1h_input_tokens': -5 })).usage()).toBe('implausible');
  });

  it('rejects an input side larger than the largest window, though each figure fits', () => {
    const half = MAX_CONTEXT_TOKENS / 2;
    expect(responseTokens({ input_tokens: half, cache_read_input_tokens: half })).toEqual({ input: half, output: 0, cacheCreation: 0, cacheRead: half });
    expect(responseTokens({ input_tokens: half, cache_read_input_tokens: half, cache_creation: { ephemeral_5m_input_tokens: 1 } })).toBeNull();
  });
});

describe('content blocks', () => {
  it('reads a real tool_use block with its name and input', () => {
    const blocks = decoded(TOOL_CALL).content().map(decodeBlock);
    expect(blocks).toEqual([{ type: 'tool_use', id: 'toolu_fake1', name: 'Bash', input: { command: 'echo hi', description: 'Run it' }, server: false }]);
  });

  it('reads real tool_result blocks, failed or not', () => {
    expect(decoded(TOOL_RESULT).content().map(decodeBlock)).toEqual([{ type: 'tool_result', toolUseId: 'toolu_fake1', content: 'hi', isError: false }]);
    expect(decoded(FAILED_RESULT).content().map(decodeBlock)).toMatchObject([{ type: 'tool_result', isError: true }]);
  });

  it('reads a string content as one text block, and text of a real reply', () => {
    expect(decoded(PROMPT).content().map(decodeBlock)).toEqual([{ type: 'text', text: JSON.parse(PROMPT).message.content }]);
    expect(decoded(TEXT_REPLY).content().map(decodeBlock)).toEqual([{ type: 'text', text: expect.any(String) }]);
  });

  it('types thinking, media and server tools, and gives null for blocks no consumer reads', () => {
    expect(decodeBlock({ type: 'redacted_thinking', data: 'x' })).toEqual({ type: 'thinking' });
    expect(decodeBlock({ type: 'image', source: {} })).toEqual({ type: 'media' });
    expect(decodeBlock({ type: 'document', source: {} })).toEqual({ type: 'media' });
    expect(decodeBlock({ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: [] })).toEqual({ type: 'tool_use', id: 'srvtoolu_1', name: 'web_search', input: {}, server: true });
    expect(decodeBlock({ type: 'tool_use' })).toEqual({ type: 'tool_use', id: '', name: 'unknown', input: {}, server: false });
    for (const block of [null, 'text', [], { type: 'text', text: 5 }, { type: 'web_search_tool_result' }]) expect(decodeBlock(block)).toBeNull();
  });
});

describe('compaction boundaries', () => {
  const boundary = compactBoundaryLine({ timestamp: '2026-11-30T04:41:33.198Z', trigger: 'auto', preTokens: 155_000, postTokens: 12_000 });

  it('reads compactMetadata, and microcompactMetadata for a microcompaction', () => {
    expect(decoded(boundary).compaction()).toEqual({ micro: false, trigger: 'auto', preTokens: 155_000, postTokens: 12_000 });
    const micro = edited(boundary, { subtype: 'microcompact_boundary', microcompactMetadata: { trigger: 'manual', preTokens: 90_000 }, compactMetadata: undefined });
    expect(decoded(micro).compaction()).toEqual({ micro: true, trigger: 'manual', preTokens: 90_000, postTokens: null });
  });

  it('gives an unknown trigger and null figures for garbage metadata, and null for other lines', () => {
    const garbage = edited(boundary, { compactMetadata: { trigger: 'sometimes', preTokens: 1e308, postTokens: -3 } });
    expect(decoded(garbage).compaction()).toEqual({ micro: false, trigger: 'unknown', preTokens: null, postTokens: null });
    const stopSummary = lineWhere(TOOL_TURN, (line) => line.type === 'system');
    expect(stopSummary.subtype).toBe('stop_hook_summary');
    expect(stopSummary.compaction()).toBeNull();
    expect(decoded(TOOL_CALL).compaction()).toBeNull();
  });

  it('finds a real boundary in raw bytes, not a prompt that mentions one', () => {
    expect(isCompactBoundaryLine(Buffer.from(boundary))).toBe(true);
    const mention = edited(PROMPT, { 'message.content': 'why did "subtype":"compact_boundary" show up?' });
    expect(isCompactBoundaryLine(Buffer.from(mention))).toBe(false);
    expect(isCompactBoundaryLine(Buffer.from(boundary.replace('compact_boundary', 'microcompact_boundary')))).toBe(false);
  });
});

describe('limit signals: limit-signal.ts over the decoded API-error line', () => {
  it('reads the real 429 lines through limit-signal.ts', () => {
    const signals = API_ERRORS.map((raw) => {
      const line = decoded(raw);
      return lineLimitSignal(line, line.timestamp as number);
    });
    expect(signals.every((signal) => signal !== null)).toBe(true);
    expect(signals.map((signal) => signal?.rateLimitType)).toEqual(expect.arrayContaining([null, 'five_hour', 'seven_day']));
  });

  it('is null for a response, however it is worded', () => {
    const line = decoded(edited(TEXT_REPLY, { 'message.content': [{ type: 'text', text: "You've hit your limit · resets 8pm (UTC)" }] }));
    expect(lineLimitSignal(line, line.timestamp as number)).toBeNull();
  });
});
