/**
 * The questions an interactive command asks (`cco next`): answers read line by line from stdin,
 * a terminal or a pipe, so the same flow runs at a person's keyboard and in a script or test.
 */
import * as readline from 'node:readline';
import type { Io } from './io.js';

export interface Stdin extends NodeJS.ReadableStream {
  isTTY?: boolean;
}


/**
 * Reads answers line by line; lines typed ahead (or piped) are kept until asked for. One Prompter
 * serves a whole interactive run and is closed by its owner once the run has finished: closing
 * it ends its line reader, so no step may still be waiting on it.
 */
export class Prompter {
  private readonly rl: readline.Interface;
  private readonly lines: AsyncIterator<string>;
  private closed = false;
  /** Piped answers are not echoed by a terminal: echo them, so the transcript reads like a session. */
  private readonly echo: boolean;

  constructor(
    private readonly io: Io,
    stdin: Stdin,
  ) {
    this.rl = readline.createInterface({ input: stdin, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
    this.echo = stdin.isTTY !== true;
  }

  /** The answer, trimmed; null at end of input. */
  async ask(question: string): Promise<string | null> {
    this.io.stdout(question);
    if (this.closed) return null;
    const next = await this.lines.next();
    if (next.done) {
      this.closed = true;
      this.io.stdout('\n');
      return null;
    }
    if (this.echo) this.io.stdout(`${next.value}\n`);
    return next.value.trim();
  }

  async yes(question: string): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await this.ask(question))?.toLowerCase();
      if (answer === null || answer === undefined) return false;
      if (['y', 'yes'].includes(answer)) return true;
      if (['n', 'no', ''].includes(answer)) return false;
      this.io.stdout('Please answer y or n.\n');
    }
    return false;
  }

  /** Releases stdin (a terminal's stdin would otherwise keep the process alive). */
  close(): void {
    this.closed = true;
    this.rl.close();
  }
}
