// prom-client's default metrics (process_*, nodejs_*) describe the process, not an app: they are
// collected once per process into a registry of their own (never prom-client's global one), and
// each app's registry lists the same metric objects. Collecting them per app would add a GC
// observer and an event-loop monitor per app that nothing removes (tests start many apps).
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/**
 * Gauges named like counters (promtool: non-counter metrics should not have "_total" suffix); each
 * is the sum of its namesake without the suffix (nodejs_active_handles{type} and so on), so nothing is lost.
 */
const MISNAMED = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

let processRegistry: Registry | undefined;

/** Registers the process's default metrics in `register` as well. */
export function addProcessMetrics(register: Registry): void {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of MISNAMED) processRegistry.removeSingleMetric(name);
  }
  // getMetricsAsArray() gives the metric objects themselves; its type only promises their description.
  for (const metric of processRegistry.getMetricsAsArray()) register.registerMetric(metric as unknown as Metric);
}
