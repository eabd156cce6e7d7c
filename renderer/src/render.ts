/**
 * Draws a Snapshot into the popover's static skeleton (index.html): header, quota ring and facts,
 * burn rate, weekly window, then the lists (lists.ts). Each section is a function of (Snapshot,
 * locale); nothing here calls the bridge. The countdown is separate ({@link PopoverView.tick}) so
 * it can advance every second between Snapshots.
 */
import { forecastSentence } from '../../shared/forecast-text.js';
import { levelTable } from '../../shared/levels.js';
import type { PlanName } from '../../shared/plans.js';
import { calibrationText, reconciliationText } from '../../shared/reconciliation-text.js';
import { resetInstant, type Snapshot } from '../../shared/snapshot.js';
import { setBar, setTone, titleCase } from './bars.js';
import { burnInput } from './burn.js';
import { burnChart, ring } from './charts.js';
import { byId, fill, h, setText } from './dom.js';
import { renderQueue, renderSessions } from './lists.js';
import { renderWeek } from './week-chart.js';
import { formatSpan, formatTicking, type Locale } from './locale.js';
import { quotaRingTone, weeklyTone } from './model.js';

const PLAN_LABELS: Record<PlanName, string> = { free: 'Free', pro: 'Pro', team: 'Team', max5: 'Max 5×', max20: 'Max 20×', custom: 'Custom', auto: 'Auto' };

/** The popover's view of time: the Snapshot's instant, advanced by the real time since it came. */
export interface Clock {
  now(): number;
}

export class PopoverView {
  private readonly ringDrawing = ring();
  private snapshot: Snapshot | null = null;

  constructor(
    private readonly locale: Locale,
    private readonly clock: Clock,
  ) {
    byId('ring').prepend(this.ringDrawing.svg);
  }

  render(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.header(snapshot);
    this.quota(snapshot);
    this.burn(snapshot);
    this.reconciliation(snapshot);
    this.weekly(snapshot);
    this.forecast(snapshot);
    renderWeek(snapshot.history, this.locale);
    renderSessions(snapshot, this.locale);
    renderQueue(snapshot, this.locale);
    this.tick();
    byId('popover').setAttribute('aria-busy', 'false');
  }

  /** Advances the countdowns; called every second. */
  tick(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    // The same reset rule as the tray and the panels (shared/snapshot.ts).
    const reset = resetInstant(snapshot);
    const countdown = byId('reset-countdown');
    if (reset) {
      setText(countdown, formatTicking(Date.parse(reset) - this.clock.now(), this.locale));
      setText(byId('reset-at'), `at ${this.locale.time(reset)}`);
    } else {
      setText(countdown, '—');
      setText(byId('reset-at'), 'starts with your next prompt');
    }
  }

  private header(snapshot: Snapshot): void {
    const { plan } = snapshot;
    const name = PLAN_LABELS[plan.name];
    const learned = plan.limitSource === 'learned' || plan.limitSource === 'learned-fallback' ? ' learned' : '';
    setText(byId('plan'), `${name} · ${this.locale.compact(plan.limit)}${learned}`);
  }

  private quota(snapshot: Snapshot): void {
    const { quota } = snapshot;
    const l = this.locale;
    const tone = quotaRingTone(quota);
    const row = levelTable(quota.hyperaware).find((candidate) => candidate.level === quota.level);
    const label = quota.limitReached ? 'LIMIT' : (row?.label ?? quota.level.toUpperCase());
    const percent = l.percent(quota.percentUsed);

    const ringElement = byId('ring');
    setTone(ringElement, tone);
    this.ringDrawing.set(quota.percentUsed);
    setText(byId('ring-percent'), percent);
    setText(byId('ring-level'), label);
    ringElement.setAttribute('aria-label', `${percent} of the 5-hour quota used, level ${titleCase(label)}${quota.source === 'statusline' ? ' (server figures)' : ' (estimate)'}`);

    const window = quota.currentWindow;
    setText(byId('used'), window ? l.compact(window.tokensUsed) : l.integer(0));
    setText(byId('used-sub'), window ? `${l.compact(window.remaining)} left` : `of ${l.compact(snapshot.plan.limit)}`);

    const runway = quota.runway;
    setText(byId('runway'), runway.minutes === null ? 'idle' : formatSpan(runway.minutes * 60_000, l));
    setText(byId('runway-sub'), `≈ ${l.integer(runway.toolCalls)} tool calls`);

    // When the week will stop the user before the 5-hour window does, that is the line to see at a
    // glance (the runway above only speaks for the 5-hour window).
    const weekBinds = quota.forecast.binding === 'sevenDay' ? forecastSentence(quota.forecast, snapshot.generatedAt, (iso) => l.dayTime(iso)) : null;
    let advice: string;
    if (quota.weeklyLimitReached) advice = `Weekly limit reached. Nothing runs until ${quota.server?.sevenDay?.resetsAt ? l.dayTime(quota.server.sevenDay.resetsAt) : 'the weekly reset'}.`;
    else if (quota.limitReached) advice = `Usage limit reached. New work waits for the reset${quota.limitReached.resetsAt ? ` at ${l.time(quota.limitReached.resetsAt)}` : ''}.`;
    else if (weekBinds !== null) advice = weekBinds;
    else advice = row?.advice ?? quota.recommendation;
    const source = quota.source === 'statusline' ? 'Server figures' : 'Estimated from transcripts';
    fill(byId('advice'), advice, h('span', { class: 'source' }, ` ${source}.`));
    // The forecast's own colour, as the panel's Forecast line: a warning, whatever the 5-hour level.
    setTone(byId('advice'), weekBinds !== null && advice === weekBinds && tone === 'green' ? 'yellow' : tone);
  }

  private burn(snapshot: Snapshot): void {
    const l = this.locale;
    const rate = snapshot.quota.burnRate;
    const input = burnInput(snapshot);
    setText(byId('burn-rate'), `${l.integer(rate.lastHourTokensPerMinute)} tok/min`);
    const chart = byId('burn-chart');
    if (!input) {
      fill(chart, h('p', { class: 'empty' }, 'No tokens in this window yet.'));
      fill(byId('burn-legend'));
      return;
    }
    fill(chart, burnChart(input));
    const over = input.pace !== null && rate.lastHourTokensPerMinute > input.pace;
    chart.classList.toggle('over-pace', over);
    fill(
      byId('burn-legend'),
      h('span', { class: 'key' }, `Window avg ${l.integer(rate.tokensPerMinute)}`),
      h('span', { class: 'key' }, `Last hour ${l.integer(rate.lastHourTokensPerMinute)}`),
      input.pace === null ? null : h('span', { class: 'key key-pace', title: 'The rate that spends exactly what is left by the reset' }, `Pace ${l.integer(input.pace)}`),
    );
    chart.setAttribute('title', over ? 'Burning faster than the rest of the window allows' : 'Within the pace the rest of the window allows');
  }

  /** Where the server's percent went: this machine's share and the rest (shared/reconciliation-text.ts). */
  private reconciliation(snapshot: Snapshot): void {
    const element = byId('reconcile');
    const reconciliation = snapshot.quota.reconciliation;
    element.hidden = reconciliation === null;
    if (reconciliation === null) {
      setText(element, '');
      element.removeAttribute('title');
      return;
    }
    setText(element, reconciliationText(reconciliation, { time: (iso) => this.locale.time(iso), percent: (p) => this.locale.percent(p) }));
    element.setAttribute('title', calibrationText(reconciliation));
  }

  /** Which window stops the user first at this pace, when one does before its reset (shared/forecast-text.ts). */
  private forecast(snapshot: Snapshot): void {
    const element = byId('forecast');
    const sentence = forecastSentence(snapshot.quota.forecast, snapshot.generatedAt, (iso) => this.locale.dayTime(iso));
    element.hidden = sentence === null;
    setText(element, sentence ?? '');
  }

  private weekly(snapshot: Snapshot): void {
    const l = this.locale;
    const week = snapshot.quota.server?.sevenDay ?? null;
    const barElement = byId('weekly-bar');
    if (!week) {
      barElement.hidden = true;
      setText(byId('weekly-value'), '—');
      setText(byId('weekly-sub'), 'Shown once Claude Code’s status line reports the weekly window.');
      return;
    }
    const tone = weeklyTone(snapshot.quota, week.usedPercent);
    setBar(barElement, week.usedPercent, tone);
    setText(byId('weekly-value'), l.percent(week.usedPercent));
    const reset = week.resetsAt ? `Resets ${l.dayTime(week.resetsAt)} · in ${formatSpan(Date.parse(week.resetsAt) - Date.parse(snapshot.generatedAt), l)}` : 'Reset time unknown';
    setText(byId('weekly-sub'), snapshot.quota.weeklyLimitReached ? `Weekly limit reached. ${reset}` : reset);
  }
}

