// Why an append was refused. Nothing of a refused call is stored, except a commit in doubt (the
// connection to PostgreSQL was lost during COMMIT: it may have been stored whole); the ingest route
// answers 503 with Retry-After, and the source system sends again (an event's (kind, id, version)
// makes that safe: a stored version is answered duplicate).
export class OverloadedError extends Error {
  constructor() {
    super('store is overloaded: too many items waiting for a commit');
  }
}

export class StoreUnavailableError extends Error {
  /** `inDoubt`: the connection was lost during COMMIT, so the call may have been stored whole. */
  constructor(cause: unknown, readonly inDoubt = false) {
    super(`store is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** What a 503 says of the request it refuses: nothing stored, or (a commit in doubt) maybe stored whole; either way, send it again. */
export const refusedOutcome = (err?: StoreUnavailableError) =>
  err?.inDoubt
    ? 'the connection was lost while committing this request, so it may have been stored whole; send it again (a stored version is answered duplicate)'
    : 'nothing of this request was stored; send it again';

/** What is wrong with the disk under the store: full, or failing writes (docs/operations.md, "A full disk"). */
export type DiskProblem = 'disk_full' | 'io_error';

/**
 * The disk refused a write: the transaction was rolled back whole. A kind of StoreUnavailableError,
 * so every caller that handles an unreachable store handles this too; the ingest route names the reason.
 */
export class DiskError extends StoreUnavailableError {
  constructor(readonly reason: DiskProblem, cause: unknown) {
    super(cause);
  }
}

/**
 * The disk problem an error code stands for: SQLite's extended result codes (a full disk is
 * SQLITE_FULL, or SQLITE_IOERR_SHMSIZE when the WAL index cannot grow) and PostgreSQL's SQLSTATEs
 * (53100 disk_full, 58030 io_error).
 */
export function diskProblemOf(code: unknown): DiskProblem | undefined {
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === '53100') return 'disk_full';
  if (code === '58030' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))) return 'io_error';
  return undefined;
}
