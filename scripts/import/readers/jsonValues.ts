// The items of a JSON file read as a stream: the elements of a top-level array, or the top-level
// values themselves (one object, or several one after another). No streaming JSON parser is among
// the project's dependencies, so this scanner only finds where each item starts and ends (brackets
// outside strings) and JSON.parse reads the item: one item in memory at a time, at most maxChars.
// An item that is not valid JSON is a record error and the scan goes on; a file whose brackets do
// not balance ends with an error naming the line where reading stopped.
import { StringDecoder } from 'node:string_decoder';
import type { ReadRecord } from './index';

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\uFEFF']);

export async function* jsonValues(chunks: AsyncIterable<Buffer>, maxChars: number): AsyncGenerator<ReadRecord> {
  const decoder = new StringDecoder('utf8');
  let line = 1;
  /** where the scan is outside an item: before anything, inside the top-level array (expecting an item, or a comma), after it */
  let at: 'start' | 'item' | 'comma' | 'end' | 'values' = 'start';
  // the item being scanned
  let scanning = false;
  let startLine = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let held = '';
  let tooBig = false;
  let reread = false;

  const finish = (text: string): ReadRecord => {
    scanning = false;
    if (tooBig || held.length + text.length > maxChars) {
      tooBig = false;
      held = '';
      return { line: startLine, error: `the item is larger than ${maxChars} characters, more than one request may carry` };
    }
    const source = held + text;
    held = '';
    try {
      return { line: startLine, item: JSON.parse(source) as unknown };
    } catch (err) {
      return { line: startLine, error: `not JSON: ${(err as Error).message}` };
    }
  };
  const hold = (piece: string) => {
    if (tooBig) return;
    if (held.length + piece.length > maxChars) {
      tooBig = true;
      held = '';
    } else held += piece;
  };
  const stopped = (what: string): ReadRecord => ({ line, error: `${what} at line ${line}; the rest of the file was not read` });

  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let from = 0; // where the held part of the current item starts in this chunk
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (scanning) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') {
            inString = false;
            if (depth === 0) yield finish(text.slice(from, i + 1));
            if (depth === 0 && at === 'item') at = 'comma';
          }
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if ((c === '}' || c === ']') && depth > 0) {
          if (--depth === 0) yield finish(text.slice(from, i + 1));
          if (depth === 0 && at === 'item') at = 'comma';
        } else if (depth === 0 && (c === ',' || c === ']' || c === '}' || WHITESPACE.has(c))) {
          // a number, true, false or null ends here; the character is structure, read below
          yield finish(text.slice(from, i));
          if (at === 'item') at = 'comma';
          reread = true;
        }
        if (!reread) continue;
        reread = false;
      }
      if (WHITESPACE.has(c)) continue;
      if (at === 'start' && c === '[') at = 'item';
      else if (at === 'item' && c === ']') at = 'end'; // an empty array, or a trailing comma
      else if (at === 'comma' && c === ',') at = 'item';
      else if (at === 'comma' && c === ']') at = 'end';
      else if (at === 'start' || at === 'values' || at === 'item') {
        if (c === ',' || c === ']' || c === '}') {
          yield stopped(`unexpected "${c}"`);
          return;
        }
        if (at === 'start') at = 'values';
        scanning = true;
        startLine = line;
        depth = c === '{' || c === '[' ? 1 : 0;
        inString = c === '"';
        escaped = false;
        from = i;
      } else {
        yield stopped(at === 'end' ? 'text after the closing "]"' : `expected "," or "]" but found "${c}"`);
        return;
      }
    }
    if (scanning) hold(text.slice(from));
  }
  const rest = decoder.end();
  if (rest) hold(rest);
  if (scanning && depth === 0 && !inString) {
    yield finish('');
    if (at === 'item') at = 'comma';
  } else if (scanning) {
    yield { line: startLine, error: 'the file ends inside this item; the rest of the file was not read' };
    return;
  }
  if (at === 'item' || at === 'comma') yield stopped('the file ends before the closing "]"');
}
