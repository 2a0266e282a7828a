// Writes small event fixtures (every version of the first entities of one simulated day) for tests and demos.
// Run: node --import tsx scripts/make-event-fixtures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IngestEventInput } from '#shared/events';
import { shanghaiMidnight } from '#shared/time';
import type { StreamKind } from '#shared/vocab';
import { loadTown } from '../server/src/geo/town';
import { planDay } from '../server/src/sim/plan';

const SEED = 7;
// Far enough back that every lifecycle (≤ 10 days) is complete: each line ingests as it is, today and later.
const DAY = '2026-11-01';
const KEEP: Record<StreamKind, { file: string; entities: number }> = {
  case: { file: 'cases.ndjson', entities: 40 },
  ticket: { file: 'tickets.ndjson', entities: 30 },
  inspection: { file: 'inspections.ndjson', entities: 15 },
};

const outDir = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
const events = planDay(loadTown(), { seed: SEED, scale: 1 }, shanghaiMidnight(DAY));
mkdirSync(outDir, { recursive: true });

for (const [kind, { file, entities }] of Object.entries(KEEP) as [StreamKind, (typeof KEEP)[StreamKind]][]) {
  const ofKind = events.filter((e) => e.kind === kind);
  // Ids number entities in order of creation, so the first N ids are the first N entities of the day.
  const ids = new Set([...new Set(ofKind.map((e) => e.id))].sort().slice(0, entities));
  const kept: IngestEventInput[] = ofKind.filter((e) => ids.has(e.id)); // planDay order: occurredAt, id, version
  writeFileSync(outDir + file, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
  console.log(`${file}: ${ids.size} entities, ${kept.length} events`);
}
