// Runs a role on whichever node of the cluster holds it (the simulator): tries to take it every few
// seconds, starts it when taken, stops it when the hold is lost (its database session died), so
// exactly one node runs it and another takes over when that node stops or dies.
import type { ClusterSingleton } from './store/types';

export interface RoleRunner {
  start(): void;
  stop(): void;
}

export function runAsSingleton(singleton: ClusterSingleton, role: string, runner: RoleRunner, everyMs = 2_000, log = console.log) {
  let running = false;
  let closed = false;
  const check = async () => {
    const held = await singleton.hold(role).catch(() => false);
    if (closed) return;
    if (held && !running) {
      running = true;
      log(`this node holds the ${role} role: starting it`);
      runner.start();
    } else if (!held && running) {
      running = false;
      log(`this node lost the ${role} role: stopping it`);
      runner.stop();
    }
  };
  void check();
  const timer = setInterval(() => void check(), everyMs);
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      if (running) runner.stop();
      running = false;
      await singleton.release(role).catch(() => undefined);
    },
  };
}
