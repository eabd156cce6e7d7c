import { describe, expect, it } from 'vitest';
import { isOurPage, isSafeExternalUrl, isTrustedSender, POPOVER_CSP } from '../../main/app/security.js';

const PAGE = 'file:///Applications/Claude%20Code%20Optimizer.app/Contents/Resources/app.asar/renderer/index.html';

describe('popover security rules', () => {
  it('CSP: nothing by default, own scripts and styles only, no network, no inline script', () => {
    const directives = new Map(POPOVER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(POPOVER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it.each([
    ['https://docs.anthropic.com/en/docs/claude-code', true],
    ['http://localhost:3000/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['https://user:pass@example.com/', false],
    ['not a url', false],
  ])('openExternal allows %s: %s', (url, allowed) => {
    expect(isSafeExternalUrl(url)).toBe(allowed);
  });

  it('our page: the same file, whatever the fragment or query', () => {
    expect(isOurPage(PAGE, PAGE)).toBe(true);
    expect(isOurPage(`${PAGE}#settings`, PAGE)).toBe(true);
    expect(isOurPage(`${PAGE}?theme=dark`, PAGE)).toBe(true);
    expect(isOurPage('file:///tmp/evil.html', PAGE)).toBe(false);
    expect(isOurPage('https://example.com/renderer/index.html', PAGE)).toBe(false);
    expect(isOurPage('garbage', PAGE)).toBe(false);
  });

  it('trusted sender: our webContents, its top frame, our page', () => {
    const trusted = { webContentsId: 7, pageUrl: PAGE };
    expect(isTrustedSender({ webContentsId: 7, frameUrl: PAGE, isMainFrame: true }, trusted)).toBe(true);
    expect(isTrustedSender({ webContentsId: 8, frameUrl: PAGE, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: PAGE, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: 'https://example.com/', isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: null, isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ webContentsId: 7, frameUrl: PAGE, isMainFrame: true }, null)).toBe(false);
  });
});
