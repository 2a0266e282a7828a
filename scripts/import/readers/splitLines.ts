// A byte stream's lines, numbered from 1, holding one line at a time: a line longer than maxBytes is
// reported as too long and skipped to its end, so a file without newlines cannot grow a buffer
// without bound.
export type Line = { line: number; text: string } | { line: number; tooLong: true };

export async function* splitLines(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 1;
  const take = (piece: Buffer) => {
    if (tooLong) return;
    if (size + piece.length > maxBytes) {
      tooLong = true;
      parts = [];
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  const finish = (): Line => {
    // UTF-8 never puts a newline byte inside a character, so a line decodes by itself.
    let text = Buffer.concat(parts).toString('utf8');
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const out: Line = tooLong ? { line, tooLong: true } : { line, text };
    parts = [];
    size = 0;
    tooLong = false;
    line += 1;
    return out;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      take(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
  }
  if (size > 0 || tooLong) yield finish();
}
