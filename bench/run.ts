// npm run bench [-- section …]: runs each benchmark section against its same-run baseline and
// writes docs/BENCHMARKS.md. Not part of the test run: figures on a shared 2-core machine are noisy.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BenchSection } from './report';

const sections: Record<string, () => Promise<BenchSection>> = {
  ingest: async () => (await import('./ingest')).run(),
  stream: async () => (await import('./stream')).run(),
  snapshot: async () => (await import('./snapshot')).run(),
  range: async () => (await import('./range')).run(),
  screen: async () => (await import('./screen')).run(),
  cluster: async () => (await import('./cluster')).run(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(sections);
const results: BenchSection[] = [];
for (const name of names) {
  const run = sections[name];
  if (!run) throw new Error(`unknown bench section ${name}; known: ${Object.keys(sections).join(', ')}`);
  console.log(`\n== ${name}`);
  const t0 = Date.now();
  try {
    const section = await run();
    results.push(section);
    for (const r of section.rows)
      console.log(`${r.met === false ? '✗' : r.met ? '✓' : '·'} ${r.metric}: ${r.value}${r.baseline ? ` (baseline ${r.baseline})` : ''}${r.ratio ? ` ratio ${r.ratio}` : ''} — target ${r.target}`);
  } catch (err) {
    console.error(`section ${name} failed:`, err);
    results.push({ title: name, rows: [], notes: [`failed: ${(err as Error).message}`] });
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;

// Every section keeps its latest run (docs/benchmarks.json), so one section can be re-run alone.
type Stored = BenchSection & { section: string; ranAt: string; machine: string };
const store = new URL('../docs/benchmarks.json', import.meta.url);
const kept: Record<string, Stored> = existsSync(store) ? (JSON.parse(readFileSync(store, 'utf8')) as Record<string, Stored>) : {};
names.forEach((name, i) => (kept[name] = { ...results[i]!, section: name, ranAt: new Date().toISOString(), machine }));
writeFileSync(store, `${JSON.stringify(kept, null, 2)}\n`);
const ordered = Object.keys(sections).filter((n) => kept[n]).map((n) => kept[n]!);

const md = [
  '# Benchmarks',
  '',
  'Each figure is measured with a baseline in the same run (these machines are noisy: medians and ratios, not single runs).',
  'Produced by `npm run bench` (all sections) or `npm run bench -- <section>` (one; the others keep their last run, see `docs/benchmarks.json`); edit nothing here by hand.',
  '',
  ...ordered.flatMap((s) => [
    `## ${s.title}`,
    '',
    `Run ${s.ranAt} on ${s.machine}.`,
    '',
    '| metric | value | baseline (same run) | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...s.rows.map((r) => `| ${r.metric} | ${r.value} | ${r.baseline ?? '—'} | ${r.ratio ?? '—'} | ${r.target} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`),
    '',
    ...(s.notes ?? []).map((n) => `- ${n}`),
    '',
  ]),
].join('\n');
writeFileSync(new URL('../docs/BENCHMARKS.md', import.meta.url), md);
console.log('\nwrote docs/BENCHMARKS.md');
process.exit(0);
