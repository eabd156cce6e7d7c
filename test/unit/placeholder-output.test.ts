import { describe, expect, it } from 'vitest';
import { emptyCounters, type TranscriptEvent, type UsageEvent } from '../../shared/events.js';
import { dedupeUsage } from '../../main/core/transcripts/dedup.js';
import { parseTranscriptLine } from '../../main/core/transcripts/parser.js';
import { isPlaceholderCopy, missingOutput, placeholderOutput, withPlaceholderEstimate } from '../../main/core/transcripts/placeholder.js';
import { assistantLine } from '../fixtures/make-transcript.js';
import { LONG_TEXT, PLACEHOLDER_EXPECTED, placeholderSessionLines } from '../fixtures/placeholder-lines.js';

function usageOf(lines: string[]): UsageEvent[] {
  const out: TranscriptEvent[] = [];
  const counters = emptyCounters();
  for (const line of lines) parseTranscriptLine(line, counters, out);
  return dedupeUsage(out.filter((event): event is UsageEvent => event.kind === 'usage')).events;
}

describe('placeholder output', () => {
  it('finds the response kept only as 8-token streaming copies and estimates its output from the text', () => {
    const usage = usageOf(placeholderSessionLines());
    expect(usage).toHaveLength(3);
    expect(placeholderOutput(usage)).toEqual({ responses: PLACEHOLDER_EXPECTED.responses, estimatedTokens: PLACEHOLDER_EXPECTED.estimatedTokens });
    // The response whose final copy arrived keeps its recorded figure.
    expect(usage.find((event) => event.key.startsWith('msg_ok'))?.placeholderChars).toBeUndefined();
  });

  it('the estimate is added to the output only when asked', () => {
    const usage = usageOf(placeholderSessionLines());
    const output = (events: UsageEvent[]): number => events.reduce((sum, event) => sum + event.tokens.output, 0);
    expect(output(usage)).toBe(PLACEHOLDER_EXPECTED.recordedOutput);
    expect(output(withPlaceholderEstimate(usage))).toBe(PLACEHOLDER_EXPECTED.recordedOutput + PLACEHOLDER_EXPECTED.estimatedTokens);
  });

  it('a copy is a placeholder only with no stop_reason and a tiny output', () => {
    expect(isPlaceholderCopy(null, 8)).toBe(true);
    expect(isPlaceholderCopy(undefined, 16)).toBe(true);
    expect(isPlaceholderCopy(null, 17)).toBe(false);
    expect(isPlaceholderCopy('end_turn', 8)).toBe(false);
    const open = usageOf([assistantLine({ messageId: 'msg_x', timestamp: '2026-01-06T14:00:00.000Z', output: 500, stopReason: null, content: [{ type: 'text', text: LONG_TEXT }] })]);
    expect(placeholderOutput(open)).toEqual({ responses: 0, estimatedTokens: 0 });
  });

  it('a resumed file repeating the copies does not double the estimate', () => {
    const lines = placeholderSessionLines();
    expect(placeholderOutput(usageOf([...lines, ...lines]))).toEqual(placeholderOutput(usageOf(lines)));
  });

  it('hostile text fields (not strings, huge counts) give no estimate and no crash', () => {
    const odd = assistantLine({ messageId: 'msg_odd', timestamp: '2026-01-06T14:00:00.000Z', output: 1, stopReason: null, content: [{ type: 'text', text: 42 }, { type: 'thinking', thinking: { a: 1 } }, 'text', null] });
    const [event] = usageOf([odd]);
    expect(event?.placeholderChars).toBe(0);
    expect(event ? missingOutput(event) : -1).toBe(0);
  });
});
