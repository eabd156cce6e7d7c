/**
 * The popover's buttons: each calls one named method of the bridge (`window.cco`) and shows what
 * came back in the sheet (a command, a file written, an error). Nothing here touches Node or
 * Electron; the bridge is the only way out of the page.
 */
import type { CcoBridge, NextDecisionView } from '../../shared/ipc.js';
import { byId, fill, h } from './dom.js';
import { formatSpan, type Locale } from './locale.js';
import type { NextAction } from './next-action.js';

type Tone = 'ok' | 'error';

function basename(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Electron prefixes errors thrown by a handler; the user needs only the handler's sentence.
  return message.replace(/^Error invoking remote method '[^']*': (?:Error: )?/, '');
}

export class Actions {
  private returnFocus: HTMLElement | null = null;

  constructor(
    private readonly cco: CcoBridge,
    private readonly locale: Locale,
    private readonly nextAction: NextAction,
  ) {}

  wire(): void {
    byId('compact').addEventListener('click', (event) => void this.run(event, () => this.compact()));
    byId('handoff').addEventListener('click', (event) => void this.run(event, () => this.handoff()));
    byId('export').addEventListener('click', (event) => void this.run(event, () => this.exportCalendar()));
    byId('next-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(event, () => this.next());
    });
    byId('hours').addEventListener('change', () => void this.nextAction.refresh());
    byId('queue-list').addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-start]') : null;
      const id = target?.dataset.start;
      if (target && id) void this.run(event, () => this.startQueued(id), target);
    });
    byId('sheet-close').addEventListener('click', () => this.closeSheet());
    byId('banner-close').addEventListener('click', () => {
      byId('banner').hidden = true;
    });
  }

  /** Escape closes the sheet; with none open it does nothing (the main process hides the popover). */
  escape(): boolean {
    if (byId('sheet').hidden) return false;
    this.closeSheet();
    return true;
  }

  /** Runs one bridge call with its button marked busy; a failure is shown, never thrown. */
  private async run(event: Event, action: () => Promise<void>, explicit?: HTMLButtonElement): Promise<void> {
    const button = explicit ?? (event.currentTarget instanceof HTMLFormElement ? byId<HTMLButtonElement>('next-action') : event.currentTarget instanceof HTMLButtonElement ? event.currentTarget : null);
    if (button?.getAttribute('aria-busy') === 'true') return;
    button?.setAttribute('aria-busy', 'true');
    if (button && !byId('sheet').contains(button)) this.returnFocus = button;
    try {
      await action();
    } catch (error) {
      this.sheet('Could not do that', [h('p', { class: 'sheet-text' }, errorText(error))], 'error');
    } finally {
      button?.removeAttribute('aria-busy');
    }
  }

  private async compact(): Promise<void> {
    const result = await this.cco.copyCompactCommand();
    const nodes: Node[] = [h('p', { class: 'sheet-text' }, 'Copied to the clipboard. Paste it into Claude Code:'), h('pre', { class: 'code', id: 'compact-command', tabindex: 0, 'aria-label': 'The /compact command' }, result.command)];
    if (result.brief.trim().length > 0 && result.brief.trim() !== result.command.trim()) {
      nodes.push(h('details', { class: 'brief' }, h('summary', {}, 'What the summary keeps'), h('pre', { class: 'code quiet', id: 'compact-brief' }, result.brief)));
    }
    this.sheet('Compact command copied', nodes, 'ok');
  }

  private async handoff(): Promise<void> {
    const result = await this.cco.writeHandoff();
    this.sheet('Handoff saved', [h('p', { class: 'sheet-text' }, 'Resume from it in a fresh session.'), this.fileList([result.path])], 'ok');
  }

  private async exportCalendar(): Promise<void> {
    const result = await this.cco.exportCalendar();
    const l = this.locale;
    const events = `${l.integer(result.events)} ${result.events === 1 ? 'event' : 'events'}`;
    const files = `${l.integer(result.files.length)} ${result.files.length === 1 ? 'file' : 'files'}`;
    this.sheet('Calendar exported', [h('p', { class: 'sheet-text' }, `${events} in ${files}, in ${result.dir}`), this.fileList(result.files, result.dir)], 'ok');
  }

  private async startQueued(id: string): Promise<void> {
    const result = await this.cco.startQueued({ id });
    this.sheet(result.started ? 'Session started' : 'Not started', [h('p', { class: 'sheet-text' }, result.message)], result.started ? 'ok' : 'error');
  }

  /**
   * Does what the next-action button says: the planner decides again for the same hours and
   * carries it out (starts the session in a terminal, or schedules it). With nothing to do, it
   * explains why instead.
   */
  private async next(): Promise<void> {
    const shown = this.nextAction.shown();
    if (!shown || !shown.label.acts) {
      this.sheet(shown?.label.text ?? 'Nothing to start', shown ? this.decisionView(shown.view) : [h('p', { class: 'sheet-text' }, 'The planner has not answered yet.')], 'ok');
      return;
    }
    const done = await this.cco.carryOutNext({ hours: this.nextAction.hours() });
    const title = done.decision === 'schedule' ? 'Scheduled' : done.decision === 'nothing' ? 'Nothing to do' : 'Started';
    this.sheet(title, this.decisionView(done), 'ok');
    void this.nextAction.refresh();
  }

  private decisionView(decision: NextDecisionView): HTMLElement[] {
    const l = this.locale;
    const nodes: HTMLElement[] = [h('p', { class: 'sheet-text' }, decision.reason)];
    if (decision.sessions.length > 0) {
      nodes.push(
        h(
          'ul',
          { class: 'plain' },
          ...decision.sessions.map((session) => h('li', {}, h('strong', {}, session.name), ` · ${formatSpan(session.estimatedHours * 3_600_000, l)} · ${l.compact(session.estimatedTokens)} tokens`)),
        ),
      );
    }
    if (decision.scheduledFor) nodes.push(h('p', { class: 'sheet-text' }, `At ${l.dayTime(decision.scheduledFor)}`));
    return nodes;
  }

  private fileList(files: readonly string[], dir?: string): HTMLElement {
    const list = h('ul', { class: 'files', id: 'files' });
    for (const file of files.slice(0, 6)) {
      const open = h('button', { type: 'button', class: 'button small', 'aria-label': `Open ${basename(file)}` }, 'Open');
      open.addEventListener('click', (event) => void this.run(event, () => this.open(file)));
      list.appendChild(h('li', {}, h('span', { class: 'file', title: file }, basename(file)), open));
    }
    if (files.length > 6) list.appendChild(h('li', { class: 'empty' }, `and ${this.locale.integer(files.length - 6)} more`));
    if (dir) {
      const open = h('button', { type: 'button', class: 'button small', 'aria-label': 'Open the calendar folder' }, 'Open folder');
      open.addEventListener('click', (event) => void this.run(event, () => this.open(dir)));
      list.appendChild(h('li', {}, h('span', { class: 'file', title: dir }, `${basename(dir)}/`), open));
    }
    return list;
  }

  private async open(file: string): Promise<void> {
    const result = await this.cco.openPath({ path: file });
    if (!result.opened) throw new Error(`Could not open ${basename(file)}.`);
  }

  private sheet(title: string, nodes: Node[], tone: Tone): void {
    const sheet = byId('sheet');
    sheet.classList.toggle('error', tone === 'error');
    fill(byId('sheet-title'), title);
    fill(byId('sheet-body'), ...nodes);
    sheet.hidden = false;
    fill(byId('announcer'), title);
    byId('sheet-close').focus();
  }

  private closeSheet(): void {
    byId('sheet').hidden = true;
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back && back.isConnected) back.focus();
    else byId('compact').focus();
  }
}
