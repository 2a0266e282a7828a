// JSON: an array of events (streamed item by item, so a file of any size reads in bounded memory),
// or one event object. Items of a one-line array share line 1, so reports also give the item's number.
import { MAX_ITEM_BYTES } from '../limits';
import type { Reader } from './index';
import { jsonValues } from './jsonValues';

export const json: Reader = {
  name: 'json',
  numbered: true,
  matches: (path, head) => /\.json$/i.test(path) || /^[\s\uFEFF]*[[{]/.test(head),
  read: (chunks) => jsonValues(chunks, MAX_ITEM_BYTES),
};
