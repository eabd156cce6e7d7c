/**
 * What the tray shows for a Snapshot on a platform: the icon, the title (macOS only: the menu bar
 * has room for text; Linux and Windows trays do not, so the percentage is drawn into the icon),
 * the tooltip, and the context menu as plain data (tray-menu.ts). Pure, after hovancik/stretchly's
 * appIcon: a function of {snapshot, platform, settings}, table-tested for every platform and level.
 */
import { formatCountdown, formatPercent } from '../../shared/format.js';
import { quotaLevelInfo, type QuotaLevel } from '../../shared/levels.js';
import { resetInstant, type Snapshot } from '../../shared/snapshot.js';
import { APP_NAME } from './app-info.js';
import { settingsFromSnapshot, trayMenu, type TrayMenuItem, type TraySettings } from './tray-menu.js';

/** `idle`: before the first Snapshot. */
export type IconLevel = QuotaLevel | 'idle';

export interface TrayIcon {
  /**
   * The image's name, also the file name build/make-icons writes for it and the cache key:
   * `tray-<level>Template` on macOS (template images: black and alpha, tinted by the menu bar),
   * `tray-<level>-<percent>` elsewhere (coloured, the percentage drawn in).
   */
  name: string;
  level: IconLevel;
  template: boolean;
  /** The text drawn into the icon (Linux, Windows); null when the icon carries none. */
  text: string | null;
}

export interface TrayView {
  icon: TrayIcon;
  /** Text beside the icon in the macOS menu bar; '' elsewhere (setTitle is macOS-only). */
  title: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** The tray image's size in points (drawn at 1× and 2×): menu bar, taskbar, panel. */
export function trayIconSize(platform: string): number {
  if (platform === 'darwin') return 18;
  if (platform === 'win32') return 16;
  return 22;
}

/**
 * How the menu opens: attached to the tray (Linux: the only way, a click may never arrive), or
 * popped up on right-click so that a left click can open the popover (macOS: an attached menu
 * would take every click; Windows: the convention).
 */
export function contextMenuMode(platform: string): 'attached' | 'on-right-click' {
  return platform === 'darwin' || platform === 'win32' ? 'on-right-click' : 'attached';
}

/** Windows truncates tray tooltips at 127 characters (NOTIFYICONDATA.szTip). */
const TOOLTIP_MAX = 127;

/** "2h 45m" → "2h45m": the menu bar is narrow. */
function tight(duration: string): string {
  return duration.replace(/ /g, '');
}

function percentText(snapshot: Snapshot): string {
  return String(Math.round(Math.min(999, Math.max(0, snapshot.quota.percentUsed))));
}

export function trayIcon(snapshot: Snapshot | null, platform: string): TrayIcon {
  if (platform === 'darwin') {
    const level: IconLevel = snapshot ? snapshot.quota.level : 'idle';
    return { name: `tray-${level}Template`, level, template: true, text: null };
  }
  if (!snapshot) return { name: 'tray-idle', level: 'idle', template: false, text: null };
  const text = percentText(snapshot);
  return { name: `tray-${snapshot.quota.level}-${text}`, level: snapshot.quota.level, template: false, text };
}

/** The macOS menu-bar title: `42% · 2h45m`; the week's reset when the weekly limit is what stops work. */
export function trayTitle(snapshot: Snapshot | null, platform: string): string {
  if (platform !== 'darwin') return '';
  if (!snapshot) return '…';
  const weekly = snapshot.quota.server?.sevenDay;
  if (snapshot.quota.weeklyLimitReached && weekly?.resetsAt) return `week 100% · ${tight(formatCountdown(weekly.resetsAt, snapshot.generatedAt))}`;
  const reset = resetInstant(snapshot);
  const percent = `${percentText(snapshot)}%`;
  return reset === null ? percent : `${percent} · ${tight(formatCountdown(reset, snapshot.generatedAt))}`;
}

export function trayTooltip(snapshot: Snapshot | null): string {
  if (!snapshot) return `${APP_NAME}: reading Claude Code usage…`;
  const row = quotaLevelInfo(snapshot.quota.level);
  const reset = resetInstant(snapshot);
  const parts = [`${APP_NAME}: ${formatPercent(snapshot.quota.percentUsed)} used (${row.label})`];
  if (snapshot.quota.limitReached) parts.push('limit reached');
  if (reset !== null) parts.push(`resets in ${formatCountdown(reset, snapshot.generatedAt)}`);
  else parts.push('no window running');
  const text = parts.join(' · ');
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}

/** Everything the tray shows, from a Snapshot (null before the first one) on a platform. */
export function trayView(snapshot: Snapshot | null, platform: string, settings: TraySettings = settingsFromSnapshot(snapshot)): TrayView {
  return {
    icon: trayIcon(snapshot, platform),
    title: trayTitle(snapshot, platform),
    tooltip: trayTooltip(snapshot),
    menu: trayMenu(snapshot, platform, settings),
  };
}
