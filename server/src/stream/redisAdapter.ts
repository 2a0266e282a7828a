// Broadcasts between nodes (alarms, acknowledgements) through Redis streams: Socket.IO's
// @socket.io/redis-streams-adapter. Events do not go this way (each node reads them from the database),
// so Redis being down pauses only cross-node alarm broadcasts; node-redis reconnects by itself and
// the adapter reads on from where its stream stands.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { IoServer } from './io';

const RETRY_MAX_MS = 2_000;

/** `onBack`: called when Redis is reachable again after an outage. */
export async function attachRedisAdapter(io: IoServer, url: string, onBack: () => void): Promise<{ close(): Promise<void> }> {
  const client = createClient({ url, socket: { connectTimeout: 3_000, reconnectStrategy: (n) => Math.min(100 * 2 ** n, RETRY_MAX_MS) } });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) console.error(`[redis] ${err.message || err.name}: cross-node alarm broadcasts wait until it is back`);
    down = true;
  });
  client.on('ready', () => {
    if (!down) return;
    console.log('[redis] connected again');
    down = false;
    onBack();
  });
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//');
  // The first connection must succeed: a wrong REDIS_URL is a start-up error, not a silent single node.
  const first = createClient({ url, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
  first.on('error', () => undefined);
  try {
    await first.connect();
    await first.ping();
  } catch (err) {
    throw new Error(`REDIS_URL: cannot reach Redis at ${safeUrl} (${(err as Error).message || (err as Error).name})`, { cause: err });
  } finally {
    await first.quit().catch(() => undefined);
  }
  await client.connect();
  io.adapter(createAdapter(client, { streamName: 'onescreen', maxLen: 10_000 }));
  return {
    async close() {
      client.destroy();
    },
  };
}
