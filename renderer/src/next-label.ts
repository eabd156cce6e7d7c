/**
 * What the popover's next-action button says: exactly what pressing it will do, from the
 * planner's decision for the hours picked ("Start <name> now", "Schedule <name> for 14:00",
 * "Nothing fits"). Pure (no DOM), so it is tested on its own.
 */
import type { NextDecisionView } from '../../shared/ipc.js';
import type { Locale } from './locale.js';

export interface NextLabel {
  /** The button's text. */
  text: string;
  /** Whether pressing it acts (start or schedule); otherwise it only explains. */
  acts: boolean;
}

/** The local calendar day of an instant, to say "14:00" today and "Tue 14:00" on another day. */
function sameLocalDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

export function nextActionLabel(view: NextDecisionView, l: Locale, now: number): NextLabel {
  const first = view.sessions[0];
  switch (view.decision) {
    case 'start':
    case 'smaller':
      // carryOutNext starts the first session that fits (for `smaller`, the first option).
      return first ? { text: `Start ${first.name} now`, acts: true } : { text: 'Nothing fits', acts: false };
    case 'schedule': {
      if (!first || view.scheduledFor === null) return { text: 'Nothing fits', acts: false };
      const at = Date.parse(view.scheduledFor);
      const when = sameLocalDay(at, now) ? l.time(view.scheduledFor) : l.dayTime(view.scheduledFor);
      const what = view.sessions.length > 1 ? `${first.name} and ${l.integer(view.sessions.length - 1)} more` : first.name;
      return { text: `Schedule ${what} for ${when}`, acts: true };
    }
    case 'nothing':
      // With a session in line, it does not fit; with none, nothing is ready (all done, waiting or scheduled).
      return { text: first ? 'Nothing fits' : 'Nothing to start', acts: false };
  }
}
