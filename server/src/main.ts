// Composition root: configuration → geography → store → app → simulator. Nothing else lives here.
import { systemClock } from './clock';
import { DEMO, SIM_SOURCE, loadConfig, simFlags } from './config';
import { loadTown } from './geo/town';
import { createApp } from './http/app';
import { createSimulator, type Simulator } from './sim/simulator';
import { runAsSingleton } from './singletonRole';
import { openStore } from './store/open';

async function main() {
  const config = loadConfig({ ...process.env, ...simFlags(process.argv.slice(2)) });
  // One node on PostgreSQL needs no Redis; several without it each keep their alarm changes to themselves.
  if (config.store.kind === 'postgres' && !config.redisUrl)
    console.warn('REDIS_URL is not set: alarm changes and acknowledgements reach the screens of the node they happen on only, and searches are counted per node; with several nodes, set REDIS_URL (docs/deploy/README.md)');
  const town = loadTown(config.geoFile);
  const clock = systemClock;
  const store = await openStore(config, town, clock);
  const server = await createApp({ config, store, town, clock });
  const port = await server.listen();
  console.log(`OneScreen 城运一屏 — ${town.geo.town.name}: http://localhost:${port}  (${store.kind} store, seq ${server.hub.deliveredTo()})`);
  if (config.demoCredentials)
    console.log(`demo credentials (NODE_ENV is not production and none are configured): ingest key "${DEMO.ingestKey}", screen tokens "${DEMO.viewer}" (viewer) and "${DEMO.officer}" (officer)`);

  // The simulator runs on one node of the cluster at a time (the embedded store: always this one).
  let simulator: Simulator | undefined;
  const sim = config.sim.enabled
    ? runAsSingleton(store.singleton, 'simulator', {
        start() {
          simulator = createSimulator({
            town, clock, ...config.sim,
            submit: (items) => server.ingest.submit(SIM_SOURCE, items),
            log: (m) => console.log(`[sim] ${m}`),
          });
          console.log(`simulator on: seed ${config.sim.seed}, speed ×${config.sim.speed}, scale ×${config.sim.scale}`);
          simulator.start().catch((err: unknown) => console.error('[sim] stopped:', err));
        },
        stop() {
          simulator?.stop();
          simulator = undefined;
        },
      })
    : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await sim?.close();
    await server.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
