// application/x-ndjson ingest bodies: one event per line, so an export or a fixture file
// (fixtures/events/*.ndjson) posts as it is. Every non-blank line is an item, counted against the
// same 1,000-item and 1 MB limits as an array; a line that is not JSON is rejected by itself, naming
// its line, while the valid lines are stored. Each result carries the body's line number beside the
// item's index (the index counts non-blank lines only). See docs/import.md.
import type { FastifyInstance } from 'fastify';
import type { IngestService, ItemResult } from './service';

export const NDJSON = 'application/x-ndjson';

export type NdjsonLine = { line: number; value: unknown } | { line: number; error: string };
export type LineResult = ItemResult & { line: number };

/** A parsed NDJSON body: its non-blank lines, in order (a class, so the route can tell it from a JSON body). */
export class NdjsonBody {
  constructor(readonly lines: readonly NdjsonLine[]) {}
}

export function parseNdjson(text: string): NdjsonBody {
  const lines: NdjsonLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const s = raw.trim(); // also a CR of CRLF and a leading BOM
    if (!s) return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(s) });
    } catch (err) {
      lines.push({ line: i + 1, error: `line ${i + 1} is not JSON: ${(err as Error).message}` });
    }
  });
  return new NdjsonBody(lines);
}

export function addNdjsonParser(app: FastifyInstance) {
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_req, body, done) => done(null, parseNdjson(body as string)));
}

/** Submits the lines that parsed (one durable commit, as for an array) and reports every line. */
export async function submitLines(ingest: IngestService, source: string, body: NdjsonBody): Promise<LineResult[]> {
  const parsed = body.lines.flatMap((l, index) => ('value' in l ? [{ index, value: l.value }] : []));
  const stored = parsed.length ? await ingest.submit(source, parsed.map((p) => p.value)) : [];
  const results = body.lines.map((l, index): LineResult | undefined =>
    'error' in l ? { index, line: l.line, status: 'rejected', errors: [{ path: '(root)', message: l.error }] } : undefined,
  );
  stored.forEach((r, i) => {
    const index = parsed[i]!.index;
    results[index] = Object.assign({ index, line: body.lines[index]!.line }, r, { index });
  });
  return results as LineResult[];
}
