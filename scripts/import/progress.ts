// Progress on stderr: a bar (cli-progress) on a terminal, a plain line every few seconds otherwise
// (a log file or CI), so stdout carries only the summary.
import cliProgress from 'cli-progress';
import type { FileTally } from './tally';

export interface Progress {
  start(file: string, bytes: number): void;
  update(bytesRead: number, t: FileTally): void;
  /** something worth saying now (a retry) */
  note(text: string): void;
  end(): void;
}

const counts = (t: FileTally) => `${t.read} read, ${t.stored} stored, ${t.duplicate} duplicate, ${t.rejected} rejected`;
const PLAIN_EVERY_MS = 2000;

export function createProgress(out: NodeJS.WriteStream): Progress {
  return out.isTTY ? barProgress(out) : plainProgress(out);
}

function barProgress(out: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    { stream: out, format: '{file} [{bar}] {percentage}% | {counts}{note}', hideCursor: true, barsize: 30, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let note = '';
  return {
    start: (file, bytes) => bar.start(Math.max(bytes, 1), 0, { file, counts: '', note: '' }),
    update: (read, t) => bar.update(read, { counts: counts(t), note }),
    note: (text) => {
      note = ` | ${text}`;
      bar.update({ note });
    },
    end: () => {
      note = '';
      bar.stop();
    },
  };
}

function plainProgress(out: NodeJS.WriteStream): Progress {
  let file = '';
  let total = 1;
  let last = 0;
  return {
    start: (f, bytes) => {
      file = f;
      total = Math.max(bytes, 1);
      last = Date.now();
    },
    update: (read, t) => {
      if (Date.now() - last < PLAIN_EVERY_MS) return;
      last = Date.now();
      out.write(`${file}: ${Math.floor((100 * read) / total)}% | ${counts(t)}\n`);
    },
    note: (text) => out.write(`${file}: ${text}\n`),
    end: () => undefined,
  };
}
