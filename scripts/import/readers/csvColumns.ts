// CSV columns → event fields (docs/import.md). A header names a field by its path (`kind`, `version`,
// `target.name`, `items.0.result`); the location's own fields may also go bare (`lng`, `lat`,
// `gridId`, `neighbourhoodId`, `compoundId`). What a cell becomes comes from the shared schema of the
// row's kind, the one definition of events: numbers and booleans are converted, an array or object
// may be written as JSON, an empty cell leaves the field out, anything else stays text (so the
// server names the field when it is wrong).
import { caseEventSchema, inspectionEventSchema, ticketEventSchema } from '#shared/events';

interface Schema {
  def: { type: string; innerType?: Schema; element?: Schema; shape?: Record<string, Schema> };
}
type Cell = 'number' | 'boolean' | 'json' | 'text';

const SCHEMAS = { case: caseEventSchema, ticket: ticketEventSchema, inspection: inspectionEventSchema } as unknown as Record<string, Schema>;
const LOCATION_FIELDS = new Set(['lng', 'lat', 'gridId', 'neighbourhoodId', 'compoundId']);
const TRUE = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE = new Set(['false', '0', 'no', 'n', '否']);
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

const unwrap = (s: Schema): Schema => (s.def.innerType ? unwrap(s.def.innerType) : s); // optional, default, nullable…

function fieldAt(schema: Schema, path: readonly string[]): Schema | undefined {
  let s: Schema | undefined = schema;
  for (const seg of path) {
    const d: Schema['def'] = unwrap(s).def;
    s = d.type === 'object' ? d.shape?.[seg] : d.type === 'array' && /^\d+$/.test(seg) ? d.element : undefined;
    if (!s) return undefined;
  }
  return unwrap(s);
}

function cellOf(s: Schema): Cell {
  const t = s.def.type;
  return t === 'number' || t === 'boolean' ? t : t === 'array' || t === 'object' ? 'json' : 'text';
}

export interface Columns {
  paths: string[][];
  /** per kind, what each column's cells become */
  cells: Record<string, Cell[]>;
}

/** The header's columns, or an error naming the first column that is no field of any event kind. */
export function readHeader(header: readonly string[]): Columns | { error: string } {
  const names = header.map((h) => h.trim());
  const paths = names.map((h) => (LOCATION_FIELDS.has(h) ? ['location', h] : h.split('.')));
  const seen = new Set<string>();
  for (const [i, path] of paths.entries()) {
    const key = path.join('.');
    if (seen.has(key)) return { error: `the column ${key} appears twice` };
    seen.add(key);
    if (!Object.values(SCHEMAS).some((s) => fieldAt(s, path)))
      return { error: `unknown column "${names[i]}": not a field of a case, ticket or inspection (docs/import.md lists the columns)` };
  }
  if (!seen.has('kind')) return { error: 'no "kind" column: each row must say case, ticket or inspection' };
  const cells = Object.fromEntries(
    Object.entries(SCHEMAS).map(([kind, s]) => [kind, paths.map((p) => { const f = fieldAt(s, p); return f ? cellOf(f) : 'text'; })]),
  );
  return { paths, cells };
}

function convert(raw: string, cell: Cell): unknown {
  if (cell === 'number') return NUMBER.test(raw) ? Number(raw) : raw;
  if (cell === 'boolean') return TRUE.has(raw.toLowerCase()) ? true : FALSE.has(raw.toLowerCase()) ? false : raw;
  if (cell === 'json' && /^[[{]/.test(raw)) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node: Record<string, unknown> = target;
  path.slice(0, -1).forEach((seg, i) => {
    node[seg] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[seg] as Record<string, unknown>;
  });
  node[path.at(-1)!] = value;
}

/** One data row as an event (unvalidated: the server validates it). */
export function rowToItem(row: readonly string[], columns: Columns): Record<string, unknown> {
  const kindAt = columns.paths.findIndex((p) => p.length === 1 && p[0] === 'kind');
  const cells = columns.cells[row[kindAt]?.trim() ?? ''];
  const item: Record<string, unknown> = {};
  row.forEach((raw, i) => {
    const text = raw.trim();
    if (text !== '') setPath(item, columns.paths[i]!, convert(text, cells?.[i] ?? 'text'));
  });
  return item;
}
