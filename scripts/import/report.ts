// The summary on stdout: every rejected line, then each file's counts, then what to do next.
import type { Writable } from 'node:stream';
import { DEFAULT_URL, type Args } from './args';
import type { RejectLog } from './rejects';
import { unsent, type FileTally } from './tally';

export type Ending = { kind: 'done' } | { kind: 'interrupted'; signal: string } | { kind: 'failed'; message: string };

const quote = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

function fileLine(t: FileTally): string {
  if (t.error) return `${t.file}: ${t.error}`;
  const left = unsent(t);
  return `${t.file}: ${t.read} read, ${t.stored} stored, ${t.duplicate} duplicate, ${t.rejected} rejected${left ? `, ${left} not answered` : ''}`;
}

/** Where the import stopped: the file it was in (or the next), and how many of its records are answered. */
function resumePoint(tallies: FileTally[]): { from: number; skip: number } {
  const i = tallies.length - 1;
  const current = tallies[i];
  if (!current) return { from: 0, skip: 0 };
  return current.done || current.error ? { from: i + 1, skip: 0 } : { from: i, skip: current.acked.n };
}

function continueWith(args: Args, tallies: FileTally[]): string {
  const { from, skip } = resumePoint(tallies);
  if (from >= args.files.length) return 'nothing: every file was read to its end';
  const opts = [
    args.url !== DEFAULT_URL ? `--url ${quote(args.url)}` : '',
    args.format ? `--format ${args.format}` : '',
    skip ? `--skip ${skip}` : '',
  ].filter(Boolean);
  return ['npm run import --', ...opts, ...args.files.slice(from).map(quote)].join(' ');
}

export async function printSummary(out: Writable, args: Args, tallies: FileTally[], rejects: RejectLog, ending: Ending) {
  if (rejects.count) {
    out.write(`Rejected (${rejects.count}):\n`);
    await rejects.print(out);
  }
  for (const t of tallies) out.write(`${fileLine(t)}\n`);
  if (tallies.length > 1) {
    const sum = (k: 'read' | 'stored' | 'duplicate' | 'rejected') => tallies.reduce((s, t) => s + t[k], 0);
    out.write(`total: ${sum('read')} read, ${sum('stored')} stored, ${sum('duplicate')} duplicate, ${sum('rejected')} rejected\n`);
  }
  if (ending.kind !== 'done') {
    const current = tallies.at(-1);
    const where = current && !current.done && !current.error && current.acked.n > 0
      ? `${current.file} is answered up to line ${current.acked.line} (record ${current.acked.n}). `
      : '';
    out.write(
      `${ending.kind === 'interrupted' ? `Interrupted (${ending.signal}) after the batches in flight were answered.` : `Stopped: ${ending.message}.`} ${where}` +
        `To continue: ${continueWith(args, tallies)}\n` +
        'Running the same command again from the start is safe too: what is stored answers duplicate.\n',
    );
  } else if (rejects.count || tallies.some((t) => t.error))
    out.write('Some lines were not stored (listed above): correct them and import again; what is stored answers duplicate.\n');
}
