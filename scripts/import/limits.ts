// The server's request limits, taken from the server itself so the tool never builds a batch it would refuse.
import { MAX_BODY_BYTES } from '../../server/src/ingest/route';
import { MAX_BATCH_ITEMS } from '../../server/src/ingest/service';

export { MAX_BATCH_ITEMS, MAX_BODY_BYTES };
/** One item must fit in a request by itself (inside the array's brackets). */
export const MAX_ITEM_BYTES = MAX_BODY_BYTES - 2;
