// Gauges read when Prometheus scrapes, from the store and this node's sockets: nothing to keep in
// step on the hot paths. While the database cannot be reached, onescreen_store_up is 0 and the
// gauges read from it keep their last values (a scrape never waits for it more than READ_TIMEOUT_MS).
import { Gauge, type Registry } from 'prom-client';
import type { Store } from '../store/types';
import type { IoServer } from '../stream/io';

export interface ScrapeSources {
  store: Store;
  io: IoServer;
  /** The last seq sent out to this node's screens. */
  deliveredTo(): number;
}

const READ_TIMEOUT_MS = 2_000;
const ROLES = ['viewer', 'officer'] as const;

/** Rejects when `p` takes longer than READ_TIMEOUT_MS. */
async function within<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), READ_TIMEOUT_MS)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function createScrapeGauges(register: Registry, { store, io, deliveredTo }: ScrapeSources) {
  const registers = [register];
  const storeUp = new Gauge({ name: 'onescreen_store_up', help: 'Whether the store answered at the last scrape (1) or not (0)', registers });
  const headSeq = new Gauge({ name: 'onescreen_head_seq', help: 'The latest committed seq in the store (of the whole cluster on PostgreSQL)', registers });
  const deliveredSeq = new Gauge({ name: 'onescreen_delivered_seq', help: "The latest seq sent out to this node's screens", registers });
  const alarmsOpen = new Gauge({ name: 'onescreen_alarms_open', help: 'Alarms neither acknowledged nor cleared (of the whole cluster on PostgreSQL)', registers });
  const screens = new Gauge({ name: 'onescreen_screens_connected', help: 'Screens connected to this node, by role: viewer or officer', labelNames: ['role'] as const, registers });

  return {
    async refresh() {
      deliveredSeq.set(deliveredTo());
      const byRole = { viewer: 0, officer: 0 };
      for (const socket of io.of('/').sockets.values()) if (socket.data.role) byRole[socket.data.role]++;
      for (const role of ROLES) screens.set({ role }, byRole[role]);
      try {
        const [{ latest }, open] = await within((async () => {
          if (!(await store.ping())) throw new Error('the store does not answer');
          return Promise.all([store.log.bounds(), store.alarms.openCount()]);
        })());
        headSeq.set(latest);
        alarmsOpen.set(open);
        storeUp.set(1);
      } catch {
        storeUp.set(0);
      }
    },
  };
}
