// The connection pool and the few helpers every part uses: int8 read as numbers (seqs and epoch
// milliseconds stay far below 2^53) through the pool's own type parsers, a client borrowed with an
// error listener (a checked-out client that loses its server emits 'error'; unheard, it would crash
// the process), transactions, and which errors mean "the database cannot be reached".
import pg from 'pg';

const INT8 = pg.types.builtins.INT8;
/** Parsers for this store's connections only; the global pg.types stay untouched. */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export const CONNECT_TIMEOUT_MS = 5_000;

export function clientConfig(url: string, application: string): pg.ClientConfig {
  // jit off: the store's statements are short; compiling one costs more than it saves (~30 ms seen)
  return { connectionString: url, types: pgTypes, keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: application, options: '-c jit=off' };
}

export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(url, 'onescreen'), max: 10, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away: the pool drops it; the next query connects anew.
  pool.on('error', () => {});
  return pool;
}

/** SQLSTATE classes and socket errors that mean the server is gone or refuses work (not a bad statement). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  if (!e) return false;
  if (err instanceof CommitInDoubt) return true;
  if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(08|57P|53)/.test(code)) return true;
  if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)$/.test(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

/** Runs fn with a pooled client; a client that failed at the connection level is destroyed, not reused. */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient, discard: (why: Error) => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const discard = (why: Error) => void (broken ??= why);
  client.on('error', discard);
  try {
    return await fn(client, discard);
  } catch (err) {
    if (isConnectionError(err)) discard(err as Error);
    throw err;
  } finally {
    client.removeListener('error', discard);
    client.release(broken);
  }
}

export type Isolation = 'BEGIN' | 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/** The connection was lost during COMMIT: the server may have committed the transaction, or not. */
export class CommitInDoubt extends Error {
  constructor(cause: unknown) {
    super(`connection lost during COMMIT: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** One transaction: committed when fn resolves, rolled back when it throws; CommitInDoubt when COMMIT's answer was lost. */
export function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin: Isolation = 'BEGIN'): Promise<T> {
  return withClient(pool, async (client, discard) => {
    await client.query(begin);
    let result: T;
    try {
      result = await fn(client);
    } catch (err) {
      // a client whose transaction could not be ended must not go back to the pool
      await client.query('ROLLBACK').catch((e: Error) => discard(e));
      throw err;
    }
    try {
      await client.query('COMMIT');
    } catch (err) {
      // an ERROR answer to COMMIT means the server rolled back; a connection lost leaves it unknown
      throw isConnectionError(err) && (err as { severity?: string }).severity !== 'ERROR' ? new CommitInDoubt(err) : err;
    }
    return result;
  });
}

/** One consistent read: every statement of fn sees the same committed state. */
export const snapshotRead = <T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
  transaction(pool, fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
