/**
 * Shows what notification-policy.ts plans as Electron Notifications: buttons where the OS has
 * them, a click opens the popover, and a notification that cannot be shown becomes an in-app
 * banner instead. Thin: the policy decides what and when; this file remembers what was sent and
 * speaks Electron.
 */
import { Notification } from 'electron';
import type { Banner } from '../../shared/ipc.js';
import type { Snapshot } from '../../shared/snapshot.js';
import type { AppCommand } from './commands.js';
import { planNotifications, type NotificationToggles, type PlannedNotification } from './notification-policy.js';
import type { SentKeys } from './sent-store.js';

export interface NotifierOptions {
  platform: string;
  settings: () => NotificationToggles;
  sent: SentKeys;
  run: (command: AppCommand) => void;
  banner: (banner: Banner) => void;
  now?: () => number;
}

export interface NotifierHandle {
  /** Plans and shows the notifications a new Snapshot calls for. */
  onSnapshot(snapshot: Snapshot): PlannedNotification[];
  snooze(minutes: number): void;
  /** The machine is going to sleep: what comes due before the next check was missed asleep. */
  suspended(): void;
  /** The machine woke up (after the app's re-check ran). */
  resumed(): void;
  /** A plain informational notification (a tray command's outcome while the popover is hidden). */
  info(title: string, body: string): void;
  /** Notifications planned outside the Snapshot's policy (the auto-start's), shown as they are. */
  post(planned: readonly PlannedNotification[]): void;
}

/**
 * Unsigned (or ad-hoc signed) macOS builds cannot post notifications: since Electron 42 they go
 * through UNNotification, which refuses them (UNErrorDomain error 1), and Electron emits `failed`
 * instead of showing anything (electron/electron#47817).
 */
export function failureBanner(error: string, platform: string): Banner {
  const hint =
    platform === 'darwin'
      ? ' macOS shows notifications only for signed apps that are allowed in System Settings › Notifications; alerts appear here meanwhile.'
      : ' Alerts appear here meanwhile.';
  return { level: 'warning', text: `Notifications could not be shown (${error}).${hint}` };
}

export function createNotifier(options: NotifierOptions): NotifierHandle {
  const clock = options.now ?? Date.now;
  let previous: Snapshot | null = null;
  // Kept across restarts by the sent store: the first check after a restart looks back to it.
  let lastCheck = options.sent.lastCheck();
  let asleep = false;
  // Kept by the sent store too: a restart does not end a snooze.
  let snoozedUntil = options.sent.snoozedUntil();
  let failed = false;
  // Electron drops a notification's handlers once it is garbage-collected: keep it until closed.
  const live = new Set<Notification>();

  const asBanner = (planned: { title: string; body: string; urgency?: string }): void =>
    options.banner({ level: planned.urgency === 'critical' ? 'error' : 'warning', text: `${planned.title}: ${planned.body}` });

  const show = (planned: Pick<PlannedNotification, 'title' | 'body' | 'urgency' | 'actions' | 'click'>): void => {
    if (failed || !Notification.isSupported()) {
      asBanner(planned);
      return;
    }
    const notification = new Notification({
      title: planned.title,
      body: planned.body,
      urgency: planned.urgency,
      silent: planned.urgency === 'low',
      actions: planned.actions.map((action) => ({ type: 'button', text: action.label })),
    });
    live.add(notification);
    if (live.size > 20) live.delete(live.values().next().value as Notification);
    notification.on('click', () => options.run(planned.click));
    notification.on('action', (details) => {
      const action = planned.actions[details.actionIndex];
      if (action) options.run(action.command);
    });
    notification.on('close', () => live.delete(notification));
    notification.on('failed', (_event, error) => {
      live.delete(notification);
      if (!failed) options.banner(failureBanner(error, options.platform));
      failed = true;
      asBanner(planned);
    });
    notification.show();
  };

  return {
    onSnapshot(snapshot) {
      const gap = asleep ? 'asleep' : previous === null && lastCheck !== null ? 'closed' : null;
      const plan = planNotifications({ previous, next: snapshot, settings: options.settings(), sent: options.sent, platform: options.platform, snoozedUntil, lastCheck, gap });
      previous = snapshot;
      const now = Date.parse(snapshot.generatedAt);
      if (Number.isFinite(now)) {
        lastCheck = now;
        options.sent.checked(now);
      }
      options.sent.add([...plan.show.map((planned) => planned.key), ...plan.skip]);
      for (const planned of plan.show) show(planned);
      return plan.show;
    },
    snooze(minutes) {
      snoozedUntil = clock() + minutes * 60_000;
      options.sent.snooze(snoozedUntil);
    },
    suspended() {
      asleep = true;
    },
    resumed() {
      asleep = false;
    },
    info(title, body) {
      show({ title, body, urgency: 'low', actions: [], click: { kind: 'open-popover' } });
    },
    post(planned) {
      for (const notification of planned) show(notification);
    },
  };
}
