/** The process's streams and environment, passed in so commands can be run and tested in-process. */
import fs from 'node:fs';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdoutStream: { isTTY?: boolean };
}

const EAGAIN_PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd` synchronously. A reader that went away (EPIPE: `cco status | head`)
 * ends the output quietly; a non-blocking pipe that is full (EAGAIN) is waited for.
 */
export function writeAllSync(fd: number, text: string): void {
  let data = Buffer.from(text, 'utf8');
  while (data.length > 0) {
    try {
      data = data.subarray(fs.writeSync(fd, data));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(EAGAIN_PAUSE, 0, 0, 2);
      else if (code === 'EPIPE') return;
      else throw error;
    }
  }
}

/**
 * Output goes to file descriptors 1 and 2 directly, not through process.stdout/stderr: creating
 * those streams loads Node's stream and net modules, about 2 ms of a `cco` start (commands that
 * read stdin, the hook and the status line, load them for process.stdin anyway). Writes are
 * synchronous, in order, and complete before the process exits, which bin/cco.js relies on when it
 * exits as soon as a command returns. Whether stdout is a terminal is asked only when a command
 * needs to know (colours).
 */
export function processIo(): Io {
  return {
    stdout: (text) => writeAllSync(1, text),
    stderr: (text) => writeAllSync(2, text),
    env: process.env,
    stdoutStream: {
      get isTTY() {
        return process.stdout.isTTY;
      },
    },
  };
}
