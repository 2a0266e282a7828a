// A dedicated connection LISTENing on one channel, for wake-ups. It reconnects by itself with
// backoff (after a PostgreSQL restart, a network cut) and reports each (re)connection, so the feed
// reads forward over whatever it missed while deaf. A notification is a hint, never the data.
import pg from 'pg';
import { clientConfig } from './pool';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface Listener { close(): Promise<void> }

export async function listen(opts: {
  url: string; channel: string;
  onNotify(payload: string | undefined): void;
  /** after every successful LISTEN, the first included */
  onListening(): void;
}): Promise<Listener> {
  const { url, channel, onNotify, onListening } = opts;
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;

  const lost = (c: pg.Client) => {
    if (client !== c) return; // an old connection's late event
    client = undefined;
    c.end().catch(() => {});
    retry();
  };
  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  async function connect() {
    if (closed) return;
    const c = new pg.Client(clientConfig(url, 'onescreen:listen'));
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload);
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      lost(c);
      return;
    }
    if (closed || client !== c) return;
    retryMs = FIRST_RETRY_MS;
    onListening();
  }

  await connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
