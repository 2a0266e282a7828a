// The file formats the import tool reads. A reader turns a file's bytes into records, each with the
// line it starts on: `{ line, item }` (an event to send) or `{ line, error }` (a line that cannot be
// one), so every rejection names its line. Formats are documented in docs/import.md.
//
// To add a format: one file in this folder exporting a Reader, and one line in READERS below, ahead
// of any more general reader it should win over (e.g. an Open311 requests.json before plain json).
import { csv } from './csv';
import { json } from './json';
import { ndjson } from './ndjson';
import { open311 } from './open311';

export type ReadRecord = { line: number; item: unknown } | { line: number; error: string };

/** What a reader may need of the run: the server, to ask it (the Open311 reader reads the town's geography). */
export interface ReadContext {
  url: string;
}

export interface Reader {
  /** the name --format takes */
  name: string;
  /** whether this reader takes the file, by its name and/or its first bytes (`head`, up to 64 KB) */
  matches(path: string, head: string): boolean;
  /** the file's records, in file order, holding at most one record in memory */
  read(chunks: AsyncIterable<Buffer>, context?: ReadContext): AsyncIterable<ReadRecord>;
  /** several records may share a line (a one-line JSON array): reports also give the item's number */
  numbered?: boolean;
}

/** In order of precedence: the first that matches a file reads it. */
export const READERS: readonly Reader[] = [ndjson, csv, open311, json];

export function pickReader(path: string, head: string, format?: string): Reader | undefined {
  if (format) return READERS.find((r) => r.name === format);
  return READERS.find((r) => r.matches(path, head));
}
