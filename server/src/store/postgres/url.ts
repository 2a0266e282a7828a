// DATABASE_URL: checked before anything connects, and described without its password, so a start-up
// failure says what failed and where (host, port, database, user) and never leaks the secret.

/** Where a URL points, for messages: user@host:port/database. */
export function describeDatabase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${u.protocol}//)`);
  const user = decodeURIComponent(u.username) || 'the default user';
  const database = decodeURIComponent(u.pathname.slice(1)) || 'the default database';
  return `${user}@${u.hostname || 'localhost'}:${u.port || '5432'}/${database}`;
}

/** An error's message in one line, without the URL's password (a refused connect to "localhost" is an AggregateError without a message). */
export function safeMessage(err: unknown, url: string): string {
  const e = err as { message?: string; code?: string; errors?: unknown[] };
  let text = e?.message || (Array.isArray(e?.errors) ? e.errors.map((x) => (x as Error)?.message).filter(Boolean).join('; ') : '') || e?.code || String(err);
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // not a URL: describeDatabase has said so already
  }
  if (password) text = text.split(password).join('***');
  return text.replace(/\s+/g, ' ').trim();
}

/** The start-up failure: names DATABASE_URL, says what failed; no stack, no cause (nothing that could hold the password). */
export function startupError(what: string, url: string, err: unknown): Error {
  let where = 'the database';
  try {
    where = describeDatabase(url);
  } catch {
    // described by the caller already
  }
  const e = new Error(`DATABASE_URL: ${what} (${where}): ${safeMessage(err, url)}`);
  e.stack = e.message;
  return e;
}
