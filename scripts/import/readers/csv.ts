// CSV with a header row (csv-parse): each data row is one event, its columns mapped by csvColumns.ts.
// A row that cannot be parsed (a wrong number of fields) is a record error and reading goes on; an
// unclosed quote or an oversized record stops the file with an error naming where (csv-parse cannot
// find the next record after either), so nothing after it passes unreported.
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { Readable } from 'node:stream';
import { MAX_ITEM_BYTES } from '../limits';
import { readHeader, rowToItem, type Columns } from './csvColumns';
import type { Reader, ReadRecord } from './index';

type Row = { record: string[]; line: number };

const STOPS_THE_FILE = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

/** A row's first line: its last line less the line breaks inside it (quoted fields), blank lines before it left out. */
function firstLine(lastLine: number, raw: string): number {
  const own = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return lastLine - (own.match(/\n/g)?.length ?? 0);
}

export const csv: Reader = {
  name: 'csv',
  matches: (path) => /\.csv$/i.test(path),
  async *read(chunks) {
    // csv-parse parses ahead of the rows read here: the lines of rows and skipped rows are worked out
    // as it parses (in file order), and the skipped ones are yielded among the rows by line.
    const skipped: Array<{ line: number; error: string; stops: boolean }> = [];
    let lastEnd = 0; // the last line of the last row parsed
    const parser = Readable.from(chunks).pipe(
      parse({
        bom: true,
        raw: true,
        info: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        relax_quotes: true, // a stray quote inside a field is kept as text
        skip_records_with_error: true,
        max_record_size: MAX_ITEM_BYTES,
        // With raw and info on, csv-parse hands on_record { record, raw, info }, which its types do not say.
        on_record: (({ record, raw }: { record: string[]; raw: string }, { lines }: InfoRecord): Row => {
          lastEnd = lines;
          return { record, line: firstLine(lines, raw) };
        }) as unknown as Options['on_record'],
        on_skip: (err?: CsvError) => {
          if (!err) return;
          const stops = STOPS_THE_FILE.has(err.code);
          if (err.code === 'CSV_QUOTE_NOT_CLOSED')
            skipped.push({ line: lastEnd + 1, error: `a quoted field opened at line ${lastEnd + 1} or after is never closed; the rest of the file was not read`, stops });
          else skipped.push({ line: Number(err.lines), error: stops ? `${err.message}; the rest of the file was not read` : err.message, stops });
        },
      }),
    );
    function* due(beforeLine: number): Generator<ReadRecord, boolean> {
      while (skipped.length && skipped[0]!.line < beforeLine) {
        const s = skipped.shift()!;
        yield { line: s.line, error: s.error };
        if (s.stops) return true;
      }
      return false;
    }
    let columns: Columns | undefined;
    for await (const { record, line } of parser as AsyncIterable<Row>) {
      if (yield* due(line)) return;
      if (!columns) {
        const header = readHeader(record);
        if ('error' in header) {
          yield { line, error: `${header.error}; nothing of the file was read` };
          return;
        }
        columns = header;
        continue;
      }
      yield { line, item: rowToItem(record, columns) };
    }
    yield* due(Infinity);
  },
};
