// One batch to POST /api/v1/events, answered item by item. Retries what is safe to retry (a stored
// item sent again is answered `duplicate`): a 503 after its Retry-After, a network error or a 5xx
// after a growing pause, each a bounded number of times; anything else stops the import with a
// message saying what to do. A batch counts only once the server has answered every item of it.
import { ingestAnswerSchema, type ItemResult } from '#shared/ingestApi';

export interface SendOptions {
  url: string;
  key: string;
  /** pauses between tries, ms (tests shorten them) */
  pauseMs?: number;
  timeoutMs?: number;
  /** told about each retry, for the progress output */
  onRetry?: (why: string) => void;
}

/** The import cannot go on: the message says why and what to do. */
export class SendError extends Error {}

const BUSY_TRIES = 10;
const FAULT_TRIES = 5;
const MAX_RETRY_AFTER_S = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendBatch(body: string, items: number, opts: SendOptions): Promise<ItemResult[]> {
  const endpoint = new URL('/api/v1/events', opts.url).href;
  const pause = opts.pauseMs ?? 1000;
  let busy = 0;
  let faults = 0;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.key}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      if (++faults >= FAULT_TRIES) throw new SendError(`cannot reach ${endpoint} (${cause}), ${faults} tries`);
      opts.onRetry?.(`cannot reach the server (${cause}); trying again`);
      await sleep(pause * 2 ** (faults - 1));
      continue;
    }
    const text = await res.text().catch(() => '');
    if (res.status === 200) return answered(text, items);
    const said = describe(text);
    if (res.status === 401) throw new SendError(`the server refused the ingest key (401${said}): pass a valid key with --key KEY or the INGEST_KEY environment variable`);
    if (res.status === 503) {
      if (++busy >= BUSY_TRIES) throw new SendError(`the server stayed unavailable (503${said}) for ${busy} tries`);
      const after = Math.min(Number(res.headers.get('retry-after')) || 1, MAX_RETRY_AFTER_S);
      opts.onRetry?.(`the server is busy (503${said}); trying again in ${after} s`);
      await sleep(pause * after);
      continue;
    }
    if (res.status >= 500 || res.status === 429) {
      if (++faults >= FAULT_TRIES) throw new SendError(`the server failed (${res.status}${said}) ${faults} times`);
      opts.onRetry?.(`the server failed (${res.status}${said}); trying again`);
      await sleep(pause * 2 ** (faults - 1));
      continue;
    }
    throw new SendError(`the server refused a batch (${res.status}${said})${res.status === 413 ? ': try a smaller --batch' : ''}`);
  }
}

/** The server's `{ error, message }`, for messages. */
function describe(text: string): string {
  try {
    const { error, message } = JSON.parse(text) as { error?: string; message?: string };
    return error ? ` ${error}${message ? `: ${message}` : ''}` : '';
  } catch {
    return '';
  }
}

/** A 200 counts only when it answers each item of the batch, in order. */
function answered(text: string, items: number): ItemResult[] {
  let parsed: ReturnType<typeof ingestAnswerSchema.safeParse>;
  try {
    parsed = ingestAnswerSchema.safeParse(JSON.parse(text));
  } catch {
    throw new SendError('the server answered 200 with a body that is not JSON');
  }
  const results = parsed.success ? parsed.data.results : undefined;
  if (!results || results.length !== items || results.some((r, i) => r.index !== i))
    throw new SendError(`the server answered 200 without a result for each of the batch's ${items} items`);
  return results;
}
