// Why an append was refused. Nothing of a refused call is stored; the ingest route answers 503 with
// Retry-After, and the source system sends again (an event's (kind, id, version) makes that safe).
export class OverloadedError extends Error {
  constructor() {
    super('store is overloaded: too many items waiting for a commit');
  }
}

export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`store is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
