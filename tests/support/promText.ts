// A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: every line is
// a `# HELP`, a `# TYPE`, a comment, a blank line or a sample, checked against the format's grammar;
// every sample belongs to a family declared by a TYPE line before it, a family's samples are together,
// no series appears twice, and a histogram has cumulative buckets ending at +Inf = its _count.
// Any violation throws, naming the line.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/y;
/** A float as Go's strconv.ParseFloat (Prometheus's parser) reads it: Inf and NaN in any case (prom-client writes `Nan`). */
const VALUE = /^(?:[+-]?inf(?:inity)?|nan|[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i;
const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
/** The sample names a family of each type may have, by suffix. */
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'],
};

const unescape = (s: string, quotes: boolean) =>
  s.replace(quotes ? /\\([\\"n])/g : /\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

function parseValue(s: string, where: string): number {
  if (!VALUE.test(s)) throw new Error(`${where}: "${s}" is not a value`);
  const word = s.toLowerCase().replace(/^[+-]/, '');
  if (word.startsWith('inf')) return s.startsWith('-') ? -Infinity : Infinity;
  return word === 'nan' ? NaN : Number(s);
}

function parseSample(line: string, where: string): Sample {
  const m = new RegExp(`^(${NAME})(\\{|\\s)`).exec(line);
  if (!m) throw new Error(`${where}: no metric name`);
  const name = m[1]!;
  const labels: Record<string, string> = {};
  let i = name.length;
  if (line[i] === '{') {
    i++;
    LABEL.lastIndex = i;
    let l: RegExpExecArray | null;
    while (line[LABEL.lastIndex] !== '}' && (l = LABEL.exec(line))) {
      if (l[1]! in labels) throw new Error(`${where}: label ${l[1]} twice`);
      labels[l[1]!] = unescape(l[2]!, true);
      if (!l[3] && line[LABEL.lastIndex] !== '}') throw new Error(`${where}: expected , or } after label ${l[1]}`);
    }
    if (line[LABEL.lastIndex] !== '}') throw new Error(`${where}: malformed labels`);
    i = LABEL.lastIndex + 1;
  }
  const rest = line.slice(i);
  const parts = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?[ \t]*$/.exec(rest);
  if (!parts) throw new Error(`${where}: expected a value and an optional timestamp after the labels`);
  return { name, labels, value: parseValue(parts[1]!, where) };
}

function checkHistogram(f: Family) {
  const series = new Map<string, Sample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    if (!count || !samples.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name}${key}: a histogram needs _sum and _count`);
    if (buckets.some((b) => b.labels.le === undefined)) throw new Error(`${f.name}${key}: a bucket without le`);
    const les = buckets.map((b) => parseValue(b.labels.le!, `${f.name} le`));
    if (les.at(-1) !== Infinity) throw new Error(`${f.name}${key}: the last bucket must be le="+Inf"`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(les[i]! > les[i - 1]!)) throw new Error(`${f.name}${key}: buckets out of order`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${f.name}${key}: buckets not cumulative`);
    }
    if (buckets.at(-1)!.value !== count.value) throw new Error(`${f.name}${key}: the +Inf bucket differs from _count`);
  }
}

/** The families of an exposition, in order; throws on the first violation of the format. */
export function parseExposition(text: string): Family[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families: Family[] = [];
  const byName = new Map<string, Family>();
  const typed = new Set<Family>();
  const seen = new Set<string>();
  let current: Family | undefined;
  text.slice(0, -1).split('\n').forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line.trim() === '') return;
    const meta = new RegExp(`^#[ \\t]+(HELP|TYPE)[ \\t]+(${NAME})(?:[ \\t]+(.*))?$`).exec(line);
    if (meta) {
      const [, kw, name, rest = ''] = meta as unknown as [string, 'HELP' | 'TYPE', string, string?];
      let f = byName.get(name);
      if (f && f !== current) throw new Error(`${where}: ${kw} for ${name} after its family ended`);
      if (!f) {
        byName.set(name, (f = { name, type: 'untyped', samples: [] }));
        families.push(f);
        current = f;
      }
      if (f.samples.length) throw new Error(`${where}: ${kw} for ${name} after its samples`);
      if (kw === 'HELP') {
        if (f.help !== undefined) throw new Error(`${where}: a second HELP for ${name}`);
        f.help = unescape(rest, false);
      } else {
        if (!TYPES.includes(rest as MetricType)) throw new Error(`${where}: "${rest}" is not a metric type`);
        if (typed.has(f)) throw new Error(`${where}: a second TYPE for ${name}`);
        typed.add(f);
        f.type = rest as MetricType;
      }
      return;
    }
    if (line.startsWith('#')) return; // a comment
    const sample = parseSample(line, where);
    const f = current;
    if (!f || !SUFFIXES[f.type].some((sfx) => `${f.name}${sfx}` === sample.name))
      throw new Error(`${where}: ${sample.name} does not belong to the family declared before it (${f?.name ?? 'none'})`);
    if (!typed.has(f)) throw new Error(`${where}: ${sample.name} has no TYPE line`);
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(series)) throw new Error(`${where}: the series ${series} appears twice`);
    seen.add(series);
    f.samples.push(sample);
  });
  for (const f of families) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function valueOf(families: readonly Family[], name: string, labels: Record<string, string> = {}): number {
  const matches = families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${matches.length} samples`);
  return matches[0]!.value;
}
