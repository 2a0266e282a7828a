// The command line: npm run import -- [--url URL] [--key KEY] [options] FILE… (docs/import.md).
import { parseArgs } from 'node:util';
import { MAX_BATCH_ITEMS } from './limits';
import { READERS } from './readers/index';

export const DEFAULT_URL = 'http://localhost:8080';

export interface Args {
  url: string;
  key: string;
  files: string[];
  format?: string;
  batch: number;
  parallel: number;
  skip: number;
}

export const USAGE = `Usage: npm run import -- [--url URL] [--key KEY] [options] FILE…

Sends events from files through the ingest API (POST /api/v1/events) in batches, and reports
every rejected line with its reason. Running it again is safe: what is stored answers duplicate.

  --url URL       the server (default ${DEFAULT_URL})
  --key KEY       the ingest key (default: the INGEST_KEY environment variable; the demo's is demo-ingest-key)
  --format NAME   ${READERS.map((r) => r.name).join(' | ')} (default: by the file's name, else its content)
  --batch N       items per request, 1–${MAX_BATCH_ITEMS} (default ${MAX_BATCH_ITEMS})
  --parallel N    requests in flight, 1–8 (default 2)
  --skip N        skip the first N records of the first FILE (what an interrupted run prints)
  -h, --help      this text

Exit status: 0 all stored (or already stored), 1 some lines rejected or a file unreadable,
2 the import could not go on (see the message), 130/143 interrupted.
Formats and the CSV column mapping: docs/import.md`;

/** The arguments, or a message naming what is wrong. */
export function readArgs(argv: string[], env: NodeJS.ProcessEnv): Args | { help: true } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string', default: DEFAULT_URL },
        key: { type: 'string' },
        format: { type: 'string' },
        batch: { type: 'string', default: String(MAX_BATCH_ITEMS) },
        parallel: { type: 'string', default: '2' },
        skip: { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return { error: (err as Error).message };
  }
  const { values: v, positionals: files } = parsed;
  if (v.help) return { help: true };
  const int = (name: string, s: string, min: number, max: number) => {
    const n = Number(s);
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} must be a whole number from ${min} to ${max}, not "${s}"`;
  };
  const batch = int('batch', v.batch, 1, MAX_BATCH_ITEMS);
  const parallel = int('parallel', v.parallel, 1, 8);
  const skip = int('skip', v.skip, 0, Number.MAX_SAFE_INTEGER);
  for (const x of [batch, parallel, skip]) if (typeof x === 'string') return { error: x };
  if (!/^https?:\/\/[^/]/.test(v.url) || !URL.canParse(v.url)) return { error: `--url must be an http(s) URL such as ${DEFAULT_URL}, not "${v.url}"` };
  if (v.format !== undefined && !READERS.some((r) => r.name === v.format))
    return { error: `--format must be one of ${READERS.map((r) => r.name).join(', ')}, not "${v.format}"` };
  const key = v.key ?? env.INGEST_KEY;
  if (!key) return { error: 'no ingest key: pass --key KEY or set INGEST_KEY (the demo server takes demo-ingest-key)' };
  if (files.length === 0) return { error: 'no FILE to import' };
  return { url: v.url, key, files, format: v.format, batch: batch as number, parallel: parallel as number, skip: skip as number };
}
