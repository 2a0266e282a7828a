// Cluster roles (the alarm scan, the simulator) held as session-level advisory locks on a dedicated
// connection: the lock lives exactly as long as the session, so when the holder closes or its
// process dies, PostgreSQL releases it and another node takes the role on its next hold(). Calls are
// serialized; a lost connection drops every role held and is made anew on the next call.
import pg from 'pg';
import type { ClusterSingleton } from '../types';
import { clientConfig } from './pool';

/** The first key of the two-key advisory locks of roles ('1S' as int4); node-pg-migrate's one-key lock lives in another space. */
const ROLE_SPACE = 0x4f53;
const LOCK = 'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok';
const UNLOCK = 'SELECT pg_advisory_unlock($1::int, hashtext($2))';

export interface PostgresSingleton extends ClusterSingleton { close(): Promise<void> }

export function createSingleton(url: string): PostgresSingleton {
  let client: pg.Client | undefined;
  let alive = false;
  const held = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  /** One call at a time: a role's check and (re)connection never interleave with another's. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  };

  /** The session is gone: so are its locks. */
  const drop = () => {
    client?.end().catch(() => {});
    client = undefined;
    alive = false;
    held.clear();
  };

  async function session(): Promise<pg.Client> {
    if (client && alive) return client;
    drop();
    const c = new pg.Client(clientConfig(url, 'onescreen:singleton'));
    const lost = () => {
      if (client === c) alive = false;
    };
    c.on('error', lost);
    c.on('end', lost);
    client = c;
    await c.connect();
    alive = true;
    return c;
  }

  return {
    hold: (role) =>
      serial(async () => {
        if (closed) return false;
        if (held.has(role) && client && alive) {
          try {
            await client.query('SELECT 1'); // still connected: still held
            return true;
          } catch {
            drop();
          }
        }
        try {
          const c = await session();
          const { rows: [r] } = await c.query<{ ok: boolean }>(LOCK, [ROLE_SPACE, role]);
          if (r?.ok) held.add(role);
          return Boolean(r?.ok);
        } catch {
          drop(); // unreachable: hold nothing; the next call tries again
          return false;
        }
      }),
    release: (role) =>
      serial(async () => {
        if (!held.delete(role) || !client) return;
        try {
          await client.query(UNLOCK, [ROLE_SPACE, role]);
        } catch {
          drop();
        }
      }),
    close: () =>
      serial(async () => {
        closed = true;
        const c = client;
        client = undefined;
        held.clear();
        await c?.end().catch(() => {});
      }),
  };
}
