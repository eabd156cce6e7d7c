/**
 * The next-action button: it always says what pressing it will do. The planner's decision for the
 * hours picked is asked for (planNext, which acts on nothing) whenever the hours change or a new
 * Snapshot arrives, and the button and the reason under it are redrawn from it. Answers that
 * arrive out of order are dropped: only the latest question counts.
 */
import type { CcoBridge, NextDecisionView } from '../../shared/ipc.js';
import { byId, setText } from './dom.js';
import type { Locale } from './locale.js';
import { nextActionLabel, type NextLabel } from './next-label.js';
import type { Clock } from './render.js';

const DEFAULT_HOURS = 2;

export class NextAction {
  private asked = 0;
  private decision: { view: NextDecisionView; label: NextLabel; hours: number } | null = null;

  constructor(
    private readonly cco: CcoBridge,
    private readonly locale: Locale,
    private readonly clock: Clock,
  ) {}

  /** The hours picked (1 to 5). */
  hours(): number {
    const checked = document.querySelector<HTMLInputElement>('input[name="hours"]:checked');
    const hours = Number(checked?.value ?? DEFAULT_HOURS);
    return Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_HOURS;
  }

  /** The decision the button shows now, if it is for the hours still picked. */
  shown(): { view: NextDecisionView; label: NextLabel } | null {
    return this.decision && this.decision.hours === this.hours() ? this.decision : null;
  }

  /** Asks the planner again and redraws the button from its answer. */
  async refresh(): Promise<void> {
    const asked = ++this.asked;
    const hours = this.hours();
    // No busy mark here: Snapshots arrive every few seconds while Claude Code works, and aria-busy
    // on the button is what keeps a press from running twice (actions.ts).
    try {
      const view = await this.cco.planNext({ hours });
      if (asked !== this.asked) return;
      const label = nextActionLabel(view, this.locale, this.clock.now());
      this.decision = { view, label, hours };
      this.draw(label, view.reason);
    } catch (error) {
      if (asked !== this.asked) return;
      this.decision = null;
      this.draw({ text: 'Cannot plan right now', acts: false }, error instanceof Error ? error.message : String(error));
    }
  }

  private draw(label: NextLabel, reason: string): void {
    const button = byId('next-action');
    setText(button, label.text);
    button.title = label.text;
    button.classList.toggle('quiet', !label.acts);
    // Still focusable when there is nothing to do: pressing it explains why.
    if (label.acts) button.removeAttribute('aria-disabled');
    else button.setAttribute('aria-disabled', 'true');
    const why = byId('next-reason');
    setText(why, reason);
    why.title = reason;
  }
}
