/**
 * A real pseudo-terminal for tests, through tmux: the command runs with a terminal as stdin and
 * stdout (isTTY true, line discipline, echo), the way a person runs `cco` — unlike piped stdin.
 * Each session has its own tmux server (a private socket), so tests never share state; call
 * `kill()` in afterEach. The command is wrapped so its exit code is printed and the pane stays
 * open: `waitForExit()` reads it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** POSIX single-quote quoting for the shell line tmux runs. */
function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

export interface TerminalOptions {
  cwd?: string;
  /** The environment of the command (the tmux server is started with it). */
  env?: Record<string, string | undefined>;
  width?: number;
  height?: number;
}

const EXIT_MARK = '[pty exited ';

export class PtySession {
  private constructor(
    readonly socket: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Starts `argv` in a new detached tmux session of `width` x `height` columns and rows. */
  static start(argv: string[], opts: TerminalOptions = {}): PtySession {
    const socket = `cco-pty-${process.pid}-${randomBytes(4).toString('hex')}`;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...process.env, TMUX: undefined, HOME: os.tmpdir(), ...opts.env })) {
      if (value !== undefined) env[key] = value;
    }
    const session = new PtySession(socket, env);
    // The shell catches Ctrl-C (a trap, not an ignore, so the command still gets it) and lives on
    // to print the command's exit code.
    const line = `trap : INT; cd ${quote(opts.cwd ?? process.cwd())} && ${argv.map(quote).join(' ')}; printf '\\n${EXIT_MARK}%s]\\n' $?; sleep 600`;
    session.tmux(['new-session', '-d', '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), line]);
    return session;
  }

  private tmux(args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, encoding: 'utf8', timeout: 10_000 });
    if (result.status !== 0) throw new Error(`tmux ${args[0]} failed: ${result.stderr || result.error?.message}`);
    return result.stdout;
  }

  /** What the terminal shows, scrollback included, wrapped lines joined, trailing blanks dropped. */
  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-1000'])
      .split('\n')
      .map((row) => row.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** Types `text` (literally, no key names) and, unless `enter` is false, presses Enter. */
  type(text: string, enter = true): void {
    if (text !== '') this.tmux(['send-keys', '-l', '--', text]);
    if (enter) this.tmux(['send-keys', 'Enter']);
  }

  /** Presses keys by tmux name (C-c, Escape, ...). */
  press(...keys: string[]): void {
    this.tmux(['send-keys', ...keys]);
  }

  /**
   * Polls the screen until `expected` is on it (a string, or a regex), the `count`th time for a
   * text that repeats; throws with the screen after `timeoutMs`. Returns the screen.
   */
  async waitFor(expected: string | RegExp, opts: { timeoutMs?: number; count?: number } = {}): Promise<string> {
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    const count = opts.count ?? 1;
    let screen = '';
    for (;;) {
      screen = this.screen();
      // Rows are right-trimmed, so a prompt's trailing space is not on the screen.
      const found = typeof expected === 'string' ? screen.split(expected.trimEnd()).length - 1 : (screen.match(new RegExp(expected.source, `${expected.flags.replace('g', '')}g`)) ?? []).length;
      if (found >= count) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)} on the terminal; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for the command to end; returns its exit code and the screen without the exit line. */
  async waitForExit(timeoutMs?: number): Promise<{ code: number; screen: string }> {
    const screen = await this.waitFor(new RegExp(`${EXIT_MARK.replace(/[[\]]/g, '\\$&')}\\d+\\]`), timeoutMs === undefined ? {} : { timeoutMs });
    const at = screen.lastIndexOf(EXIT_MARK);
    const code = Number(/\d+/.exec(screen.slice(at + EXIT_MARK.length))?.[0] ?? -1);
    return { code, screen: screen.slice(0, at).trimEnd() };
  }

  /** Ends the tmux server of this session (and the command with it), and removes its socket. Safe to call twice. */
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { env: this.env, timeout: 10_000 });
    const dir = path.join(this.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
    fs.rmSync(path.join(dir, this.socket), { force: true });
  }
}
