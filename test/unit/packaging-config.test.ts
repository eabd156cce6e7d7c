/**
 * build/electron-builder.yml as electron-builder reads it (js-yaml, electron-builder's own YAML
 * parser, comes with it): what the packaged app needs that no run-time test can see.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const CONFIG = path.resolve(import.meta.dirname, '../../build/electron-builder.yml');

interface BuilderConfig {
  mac?: { extendInfo?: Record<string, unknown> };
}

describe('electron-builder config', () => {
  it('macOS: notifications are alerts (Info.plist NSUserNotificationAlertStyle), without which their buttons never show', () => {
    const config = load(fs.readFileSync(CONFIG, 'utf8')) as BuilderConfig;
    expect(config.mac?.extendInfo?.NSUserNotificationAlertStyle).toBe('alert');
    // Still a menu-bar app.
    expect(config.mac?.extendInfo?.LSUIElement).toBe(true);
  });
});
