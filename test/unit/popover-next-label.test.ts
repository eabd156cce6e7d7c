import { describe, expect, it } from 'vitest';
import type { NextDecisionView } from '../../shared/ipc.js';
import { makeLocale } from '../../renderer/src/locale.js';
import { nextActionLabel } from '../../renderer/src/next-label.js';

const l = makeLocale('en-US');
const AT = '2026-03-02T22:50:00.000Z';
const session = (id: string, name: string) => ({ id, name, estimatedTokens: 30_000, estimatedHours: 2 });
const view = (decision: NextDecisionView['decision'], sessions: NextDecisionView['sessions'], scheduledFor: string | null = null): NextDecisionView => ({ decision, reason: 'why', sessions, scheduledFor });

describe('the next-action button says what pressing it will do', () => {
  it('start and smaller: start the first session now', () => {
    expect(nextActionLabel(view('start', [session('s1', 'Implementation')]), l, Date.parse(AT))).toEqual({ text: 'Start Implementation now', acts: true });
    expect(nextActionLabel(view('smaller', [session('s4', 'Release notes'), session('s5', 'Docs')]), l, Date.parse(AT))).toEqual({ text: 'Start Release notes now', acts: true });
  });

  it('schedule: the session and the time, with the weekday when it is not today', () => {
    const today = Date.parse(AT) - 60_000;
    expect(nextActionLabel(view('schedule', [session('s3', 'Export')], AT), l, today)).toEqual({ text: `Schedule Export for ${l.time(AT)}`, acts: true });
    expect(nextActionLabel(view('schedule', [session('s3', 'Export')], AT), l, Date.parse(AT) - 3 * 86_400_000).text).toBe(`Schedule Export for ${l.dayTime(AT)}`);
    expect(nextActionLabel(view('schedule', [session('s3', 'Export'), session('s4', 'Notes'), session('s5', 'Docs')], AT), l, today).text).toBe(`Schedule Export and 2 more for ${l.time(AT)}`);
  });

  it('nothing: "Nothing fits" with a session in line, "Nothing to start" without; neither acts', () => {
    expect(nextActionLabel(view('nothing', [session('s1', 'Huge')]), l, Date.parse(AT))).toEqual({ text: 'Nothing fits', acts: false });
    expect(nextActionLabel(view('nothing', []), l, Date.parse(AT))).toEqual({ text: 'Nothing to start', acts: false });
  });
});
