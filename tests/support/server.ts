// A real server on port 0 with a temp SQLite file, for integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { IngestEventInput } from '#shared/events';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/protocol';
import { systemClock, type Clock } from '../../server/src/clock';
import { loadConfig } from '../../server/src/config';
import { loadTown } from '../../server/src/geo/town';
import { createApp } from '../../server/src/http/app';
import { openStore } from '../../server/src/store/open';

export const town = loadTown();

export async function startServer(env: Record<string, string> = {}, clock: Clock = systemClock, dir = mkdtempSync(join(tmpdir(), 'onescreen-'))) {
  const config = loadConfig({ SIM: 'off', HEARTBEAT_MS: '1000', DATA_DIR: dir, ...env });
  const store = await openStore(config, town, clock);
  const server = await createApp({ config, store, town, clock, clientDir: join(dir, 'no-client') });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url, port, dir, store, server,
    async post(body: unknown, key = 'demo-ingest-key', raw = false) {
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: raw ? (body as string) : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    },
    async stop(keepFiles = false) {
      await server.close();
      await store.close();
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type TestServer = Awaited<ReturnType<typeof startServer>>;

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openSocket(url: string, auth: { token: string; lastSeq?: number } | (() => { token: string; lastSeq?: number })): TestSocket {
  return connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: typeof auth === 'function' ? (cb) => cb(auth()) : auth,
  });
}

/** Makes `n` distinct valid cases (ids prefix-0…n-1), version 1. */
export function manyCases(n: number, prefix: string, make: (i: number) => IngestEventInput): IngestEventInput[] {
  return Array.from({ length: n }, (_, i) => ({ ...make(i), id: `${prefix}-${i}` }) as IngestEventInput);
}

export const waitFor = async (cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') => {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
