/**
 * What a tray menu item or a notification button does, as plain data. The policies (tray-policy,
 * notification-policy) put commands into their output; the command runner carries them out over
 * the core actions and a small UI interface. No Electron here, so every path is testable.
 */
import type { Banner, NextDecisionView } from '../../shared/ipc.js';
import { formatLocalDateTime } from '../../shared/format.js';
import { errorMessage } from '../core/store.js';
import type { MainActions } from './core-actions.js';

export type AppCommand =
  | { kind: 'open-popover' }
  /** The planner's decision for these hours, carried out (start, or schedule for the reset). */
  | { kind: 'carry-out-next'; hours: number }
  /** The next ready session scheduled for the quota reset. */
  | { kind: 'schedule-at-reset' }
  | { kind: 'copy-compact'; sessionId?: string }
  | { kind: 'save-handoff'; sessionId?: string }
  | { kind: 'export-calendar' }
  | { kind: 'start-queued'; id: string }
  /** "Stop" after an automatic start: no more auto-starts for a day (the started session keeps its terminal). */
  | { kind: 'pause-auto-start' }
  /** Mute notifications below critical for this long. */
  | { kind: 'snooze'; minutes: number }
  | { kind: 'set-setting'; key: string; value: string }
  | { kind: 'open-settings-file' }
  | { kind: 'quit' };

/** What the runner needs besides the core: the few things only the shell can do. */
export interface CommandUi {
  showPopover(): void;
  quit(): void;
  /** Tell the user how a command went (a banner in the popover, a notification when it is hidden). */
  report(banner: Banner): void;
  snooze(minutes: number): void;
  openSettingsFile(): Promise<void>;
}

function decisionText(view: NextDecisionView): string {
  const names = view.sessions.map((session) => session.name).join(', ');
  switch (view.decision) {
    case 'start':
      return `Starting ${names}.`;
    case 'smaller':
      return `${view.reason} Starting ${view.sessions[0]?.name ?? 'a smaller session'}.`;
    case 'schedule':
      return `${view.reason}`;
    case 'nothing':
      return view.reason;
  }
}


/**
 * A function that runs one command and reports its outcome; it never throws (a failed command is
 * a banner, not a crash of the menu-bar app).
 */
export function createCommandRunner(actions: MainActions, ui: CommandUi): (command: AppCommand) => Promise<void> {
  const info = (text: string): void => ui.report({ level: 'info', text });
  return async (command) => {
    try {
      switch (command.kind) {
        case 'open-popover':
          ui.showPopover();
          return;
        case 'quit':
          ui.quit();
          return;
        case 'snooze':
          ui.snooze(command.minutes);
          info(`Notifications snoozed for ${command.minutes} minutes (critical ones still show).`);
          return;
        case 'carry-out-next':
          info(decisionText(await actions.carryOutNext({ hours: command.hours })));
          return;
        case 'schedule-at-reset':
          info(decisionText(await actions.scheduleAtReset()));
          return;
        case 'copy-compact': {
          await actions.copyCompactCommand(command.sessionId === undefined ? {} : { sessionId: command.sessionId });
          info('Copied the /compact command: paste it into the Claude Code session.');
          return;
        }
        case 'save-handoff': {
          const { path } = await actions.writeHandoff(command.sessionId === undefined ? {} : { sessionId: command.sessionId });
          info(`Handoff saved: ${path}`);
          return;
        }
        case 'export-calendar': {
          const result = await actions.exportCalendar();
          info(`Calendar exported: ${result.events} event${result.events === 1 ? '' : 's'} in ${result.dir}`);
          return;
        }
        case 'start-queued': {
          const result = await actions.startQueued({ id: command.id });
          ui.report({ level: result.started ? 'info' : 'warning', text: result.message });
          return;
        }
        case 'pause-auto-start': {
          const { until } = await actions.pauseAutoStart();
          info(`Auto-start at the reset is paused until ${formatLocalDateTime(new Date(until).toISOString())}. A session it already started keeps running: close its terminal to end it.`);
          return;
        }
        case 'set-setting':
          await actions.setSetting({ key: command.key, value: command.value });
          return;
        case 'open-settings-file':
          await ui.openSettingsFile();
          return;
      }
    } catch (error) {
      // A banner shows the whole message (one line), not the log's short form.
      ui.report({ level: 'error', text: errorMessage(error, 1_000) });
    }
  };
}
