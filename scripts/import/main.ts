// npm run import -- [--url URL] [--key KEY] FILE…: history files through the ingest API, in batches,
// with the same validation and durability as any source system. docs/import.md.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { readArgs, USAGE, type Args } from './args';
import { importFile } from './importFile';
import { createProgress } from './progress';
import { pickReader, READERS } from './readers/index';
import { RejectLog } from './rejects';
import { printSummary, type Ending } from './report';
import { SendError } from './send';
import { newTally, type FileTally } from './tally';

const HEAD_BYTES = 64 * 1024;
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function head(path: string): Promise<string> {
  const f = await open(path);
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await f.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await f.close();
  }
}

/** The file's bytes, telling how many have been read. */
async function* counted(path: string, onBytes: (total: number) => void): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    total += chunk.length;
    onBytes(total);
    yield chunk;
  }
}

async function run(args: Args): Promise<number> {
  const progress = createProgress(process.stderr);
  const rejects = new RejectLog();
  const tallies: FileTally[] = [];
  let signal: string | undefined;
  let signalAt = 0;
  const onSignal = (sig: string) => {
    if (signal) {
      // One Ctrl-C can arrive twice: from the terminal and forwarded by `npm run`.
      if (Date.now() - signalAt < 1000) return;
      process.stderr.write('Stopped at once: the batches in flight may or may not be stored; running the import again is safe.\n');
      process.exit(SIGNAL_EXIT[sig] ?? 1);
    }
    signal = sig;
    signalAt = Date.now();
    progress.note(`${sig}: stopping once the batches in flight are answered (again to stop at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let ending: Ending = { kind: 'done' };
  try {
    for (const [i, file] of args.files.entries()) {
      if (signal) break;
      const tally = newTally(file, i === 0 ? args.skip : 0);
      tallies.push(tally);
      let size: number;
      let reader;
      try {
        size = (await stat(file)).size;
        reader = pickReader(file, await head(file), args.format);
      } catch (err) {
        tally.error = `cannot be read: ${(err as Error).message}`;
        continue;
      }
      if (!reader) {
        tally.error = `cannot tell the format: name it with --format ${READERS.map((r) => r.name).join('|')}`;
        continue;
      }
      let bytesRead = 0;
      progress.start(file, size);
      try {
        await importFile(counted(file, (n) => (bytesRead = n)), reader, tally, rejects, {
          ...args,
          skip: tally.acked.n,
          stopping: () => signal !== undefined,
          onAnswer: () => progress.update(bytesRead, tally),
          onRetry: (why) => progress.note(why),
        });
      } finally {
        progress.update(bytesRead, tally);
        progress.end();
      }
    }
    if (signal) ending = { kind: 'interrupted', signal };
  } catch (err) {
    if (!(err instanceof SendError)) throw err;
    ending = { kind: 'failed', message: err.message };
  }
  await printSummary(process.stdout, args, tallies, rejects, ending);
  rejects.close();
  if (ending.kind === 'failed') return 2;
  if (ending.kind === 'interrupted') return SIGNAL_EXIT[ending.signal] ?? 1;
  return rejects.count || tallies.some((t) => t.error) ? 1 : 0;
}

const args = readArgs(process.argv.slice(2), process.env);
if ('help' in args) process.stdout.write(`${USAGE}\n`);
else if ('error' in args) {
  process.stderr.write(`${args.error}\n\n${USAGE}\n`);
  process.exitCode = 2;
} else process.exitCode = await run(args);
