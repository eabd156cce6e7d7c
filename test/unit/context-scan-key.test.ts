import { afterEach, describe, expect, it } from 'vitest';
import { scanSession } from '../../main/core/context/scan.js';
import { dedupeUsage } from '../../main/core/transcripts/dedup.js';
import { parseTranscriptLine } from '../../main/core/transcripts/parser.js';
import { emptyCounters, type TranscriptEvent, type UsageEvent } from '../../shared/events.js';
import { tempDirs, writeLines } from '../fixtures/context/session.js';
import { assistantLine, userLine } from '../fixtures/make-transcript.js';

// The context scan groups a response's lines by the quota's key (transcripts/usage.ts responseKey),
// so the two never disagree on how many responses a transcript holds.
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function quotaResponses(lines: string[]): UsageEvent[] {
  const out: TranscriptEvent[] = [];
  const counters = emptyCounters();
  for (const line of lines) parseTranscriptLine(line, counters, out);
  return dedupeUsage(out.filter((event): event is UsageEvent => event.kind === 'usage')).events;
}

describe('context scan: responses keyed as the quota keys them', () => {
  it('one response written as three lines (streaming copies) is one response, its context the largest copy', () => {
    const lines = [
      userLine({ timestamp: '2026-11-30T04:41:30.000Z', text: 'Fix the invoice totals' }),
      assistantLine({ messageId: 'msg_01A', requestId: 'req_01A', timestamp: '2026-11-30T04:41:31.000Z', input: 6, cacheRead: 48_000, output: 8, content: [{ type: 'thinking', thinking: '…' }] }),
      assistantLine({ messageId: 'msg_01A', requestId: 'req_01A', timestamp: '2026-11-30T04:41:32.000Z', input: 6, cacheRead: 48_000, cacheWrite1h: 2214, output: 8, content: [{ type: 'text', text: 'Looking.' }] }),
      assistantLine({ messageId: 'msg_01A', requestId: 'req_01A', timestamp: '2026-11-30T04:41:33.000Z', input: 6, cacheRead: 48_000, output: 97 }),
    ];
    const scan = scanSession(writeLines(dirs.make(), lines));
    expect(scan.segment.responses).toHaveLength(1);
    expect(scan.lastResponse?.context).toBe(6 + 2214 + 48_000);
    expect(quotaResponses(lines)).toHaveLength(1);
  });

  it('two requests answered under one message id are two responses for the quota and for the context alike', () => {
    const lines = [
      userLine({ timestamp: '2026-11-30T04:41:30.000Z', text: 'Fix the invoice totals' }),
      assistantLine({ messageId: 'msg_01A', requestId: 'req_01A', timestamp: '2026-11-30T04:41:31.000Z', input: 6, cacheRead: 90_000, output: 40 }),
      assistantLine({ messageId: 'msg_01A', requestId: 'req_01B', timestamp: '2026-11-30T04:42:31.000Z', input: 6, cacheRead: 50_000, output: 40 }),
    ];
    const scan = scanSession(writeLines(dirs.make(), lines));
    expect(quotaResponses(lines)).toHaveLength(2);
    expect(scan.segment.responses.map((r) => r.context)).toEqual([90_006, 50_006]);
    // The latest request's context, not the larger figure of another request.
    expect(scan.lastResponse?.context).toBe(50_006);
  });
});
