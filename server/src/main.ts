// Composition root: configuration → geography → store → app → simulator. Nothing else lives here.
import { join } from 'node:path';
import { systemClock } from './clock';
import { DEMO, SIM_SOURCE, loadConfig, simFlags } from './config';
import { loadTown } from './geo/town';
import { createApp } from './http/app';
import { createSimulator } from './sim/simulator';
import { createSqliteStore } from './store/sqlite';

async function main() {
  const config = loadConfig({ ...process.env, ...simFlags(process.argv.slice(2)) });
  const town = loadTown(config.geoFile);
  const clock = systemClock;
  const store = createSqliteStore({ file: join(config.dataDir, 'onescreen.sqlite'), geo: town, clock });
  const server = await createApp({ config, store, town, clock });
  const port = await server.listen();
  console.log(`OneScreen 城运一屏 — ${town.geo.town.name}: http://localhost:${port}  (store seq ${store.latestSeq()})`);
  if (config.demoCredentials)
    console.log(`demo credentials (NODE_ENV is not production and none are configured): ingest key "${DEMO.ingestKey}", screen tokens "${DEMO.viewer}" (viewer) and "${DEMO.officer}" (officer)`);

  const sim = config.sim.enabled
    ? createSimulator({
        town, clock, ...config.sim,
        submit: (items) => server.ingest.submit(SIM_SOURCE, items),
        log: (m) => console.log(`[sim] ${m}`),
      })
    : undefined;
  if (sim) {
    console.log(`simulator on: seed ${config.sim.seed}, speed ×${config.sim.speed}, scale ×${config.sim.scale}`);
    sim.start().catch((err: unknown) => console.error('[sim] stopped:', err));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    sim?.stop();
    await server.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
