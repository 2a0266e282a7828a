// Configuration from the environment, parsed once with a schema; a bad value is a start-up error naming the variable.
import { z } from 'zod';
import { TOWN_PLACE, levelOf } from '#shared/model/places';

const onOff = z.enum(['on', 'off']);

interface TokenEntry {
  token: string;
  name?: string;
  /** 'town' unless bound with `@place` */
  place: string;
}
const HOLDER = /^[\p{L}\p{N}_.-]{1,32}$/u;
/**
 * Screen tokens, comma-separated: `[name:]token[@place]`. The name is the holder's (recorded on
 * acknowledgements); `@place` binds the token to a 片区, 居民区 or grid (three-level screens). Whether
 * the place exists in the town is checked once the geography is loaded (checkTokenPlaces).
 * A `:` always ends a name, and the secret's length is checked once the name and the place are taken
 * off: `zhangw:1` is a one-character token, refused, never the token "zhangw:1".
 * Messages name the entry by its holder or position, never by the secret.
 */
const tokenList = (what: string) =>
  z.string().transform((s, ctx) => {
    const out: TokenEntry[] = [];
    s.split(',').map((t) => t.trim()).filter(Boolean).forEach((entry, i) => {
      const colon = entry.indexOf(':');
      const name = colon >= 0 ? entry.slice(0, colon) : undefined;
      let token = colon >= 0 ? entry.slice(colon + 1) : entry;
      let place = TOWN_PLACE;
      const who = name && HOLDER.test(name) ? `${what} of ${name}` : `${what} ${i + 1}`;
      const fail = (message: string) => ctx.addIssue({ code: 'custom', message: `${who}: ${message}` });
      if (name !== undefined && !HOLDER.test(name))
        return fail(`the holder's name before ":" must be 1–32 letters, digits, _ . or -`);
      const at = token.lastIndexOf('@');
      if (at >= 0) {
        place = token.slice(at + 1);
        token = token.slice(0, at);
        const level = levelOf(place);
        if (!level || level === 'town')
          return fail(`"@${place}" is not a place: expected @ and a 片区 (A2), 居民区 (N07) or grid (GC07) id`);
      }
      if (/[\s:]/.test(token)) return fail(`a ${what} must not contain spaces or ":"`);
      if (token.length < 8) return fail(`each ${what} needs at least 8 characters`);
      out.push({ token, ...(name ? { name } : {}), place });
    });
    return out;
  });

const envSchema = z.object({
  /** Exactly one of these: a typo such as `Production` must not start a server with demo credentials. */
  NODE_ENV: z.enum(['production', 'development', 'test'], { message: 'expected exactly production, development or test' }).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  GEO_FILE: z.string().min(1).optional(),
  SIM: onOff.default('on'),
  SIM_SPEED: z.coerce.number().min(0.1).max(3600).default(1),
  SIM_SEED: z.coerce.number().int().min(0).default(1),
  SIM_SCALE: z.coerce.number().min(0.1).max(1000).default(1),
  /** source:key pairs, e.g. "gridsys:k3y…,hotline:…" — one key per source system */
  INGEST_KEYS: z
    .string()
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9_-]{1,32}:\S{12,}$/, 'expected source:key with a key of 12+ characters without spaces')))
    .optional(),
  VIEWER_TOKENS: tokenList('viewer token').optional(),
  OFFICER_TOKENS: tokenList('officer token').optional(),
  BATCH_MS: z.coerce.number().int().min(1).max(100).default(50),
  HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
  RESUME_MAX_EVENTS: z.coerce.number().int().min(0).default(200_000),
  SNAPSHOT_ENTITIES: z.coerce.number().int().min(0).max(20_000).default(1_000),
  BASEMAP_URL: z.url({ message: 'expected an http(s) URL of tiles, a TileJSON or a style.json' }).optional(),
  ALARM_SCAN_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** days raw events are kept after they were stored; counters and entity states stay (docs/operations.md) */
  RETENTION_DAYS: z.coerce.number({ message: 'expected a number of days' }).int('expected whole days').min(1, 'expected 1 to 3650 days').max(3650, 'expected 1 to 3650 days').default(400),
  /** sqlite: embedded, one node (DATA_DIR); postgres: several nodes on one database (DATABASE_URL) */
  STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'expected postgres://user@host:port/database' }).optional(),
  /** Socket.IO's Redis streams adapter: alarm and acknowledgement broadcasts between nodes */
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'expected redis://host:port' }).optional(),
  /** Origins besides the page's own allowed to use the API and the socket from a browser, and to frame the screen (docs/security.md) */
  ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'expected origins like https://portal.example.gov.cn, comma-separated (scheme://host[:port], no path)')))
    .optional(),
  /** When set, GET /metrics asks for `Authorization: Bearer <token>`; unset, it is open (docs/metrics.md) */
  METRICS_TOKEN: z.string().regex(/^\S{16,}$/, 'expected at least 16 characters without spaces').optional(),
}).superRefine((e, ctx) => {
  if (e.STORE === 'postgres' && !e.DATABASE_URL)
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required when STORE=postgres (e.g. postgres://postgres@127.0.0.1:5432/onescreen)' });
  if (e.STORE === 'sqlite' && e.DATABASE_URL)
    ctx.addIssue({ code: 'custom', path: ['STORE'], message: 'DATABASE_URL is set but STORE is sqlite: set STORE=postgres to use it' });
});

export interface Config {
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  geoFile?: string;
  sim: { enabled: boolean; speed: number; seed: number; scale: number };
  /** key → source system name */
  ingestKeys: Map<string, string>;
  /** token → who holds it (recorded on acknowledgements) and what they may do */
  tokens: Map<string, Principal>;
  demoCredentials: boolean;
  batchMs: number;
  heartbeatMs: number;
  resumeMaxEvents: number;
  snapshotEntities: number;
  alarmScanMs: number;
  /** raw events are deleted this many days after they were stored (docs/operations.md, "Retention") */
  retentionDays: number;
  basemap: string | null;
  store: { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };
  redisUrl: string | null;
  /** browser origins allowed besides the page's own (lower case, no trailing slash) */
  allowedOrigins: string[];
  /** null: /metrics is open (for a monitoring network) */
  metricsToken: string | null;
}

export interface Principal {
  role: 'viewer' | 'officer';
  name: string;
  /** What the token may see: 'town' (unbound), or the 片区, 居民区 or grid it is bound to. */
  place: string;
}

/** `name:token` names the holder; a bare token is named by its role and position. */
function principals(entries: readonly TokenEntry[], role: Principal['role']): Array<[string, Principal]> {
  return entries.map(({ token, name, place }, i) => [token, { role, name: name ?? `${role}-${i + 1}`, place }]);
}

const TOKEN_VARIABLE: Record<Principal['role'], string> = { viewer: 'VIEWER_TOKENS', officer: 'OFFICER_TOKENS' };

/**
 * A token bound to a place the town does not have stops the server, naming the variable: run once
 * the geography is loaded (createApp), since GEO_FILE chooses the town.
 */
export function checkTokenPlaces(tokens: ReadonlyMap<string, Principal>, has: (place: string) => boolean, townName: string): void {
  const lines = [...tokens.values()]
    .filter((p) => !has(p.place))
    .map((p) => `  ${TOKEN_VARIABLE[p.role]}: the ${p.role} token of ${p.name} is bound to ${p.place}, which is no 片区, 居民区 or grid of ${townName}`);
  if (lines.length) throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}

/**
 * One secret, one holder: a token listed twice, or also used as an ingest key, would leave who holds
 * it (and whether it may acknowledge alarms or write events) to the order of the lists.
 */
function checkSecretsDistinct(keys: ReadonlyArray<readonly [string, string]>, tokens: ReadonlyArray<readonly [string, Principal]>): void {
  const holders = new Map<string, string[]>();
  const hold = (secret: string, who: string) => holders.set(secret, [...(holders.get(secret) ?? []), who]);
  for (const [key, source] of keys) hold(key, `INGEST_KEYS: the key of ${source}`);
  for (const [token, p] of tokens) hold(token, `${TOKEN_VARIABLE[p.role]}: the ${p.role} token of ${p.name}`);
  const lines = [...holders.values()].filter((who) => who.length > 1).map((who) => `  ${who.join(' and ')} are the same secret: give each its own`);
  if (lines.length) throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}

export const DEMO = { ingestKey: 'demo-ingest-key', viewer: 'demo-viewer', officer: 'demo-officer' } as const;
export const SIM_SOURCE = 'simulator';

/** Command-line flags for the simulator (`npm start -- --scale 100 --speed 60`) override the environment. */
export function simFlags(argv: readonly string[]): Record<string, string> {
  const names: Record<string, string> = { '--scale': 'SIM_SCALE', '--speed': 'SIM_SPEED', '--seed': 'SIM_SEED', '--sim': 'SIM' };
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const name = names[flag];
    if (!name) continue;
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`invalid configuration:\n  ${flag}: expected a value`);
    out[name] = value;
  }
  return out;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const configured = Boolean(e.INGEST_KEYS?.length || e.VIEWER_TOKENS?.length || e.OFFICER_TOKENS?.length);
  if (production && (!e.INGEST_KEYS?.length || !(e.VIEWER_TOKENS?.length || e.OFFICER_TOKENS?.length)))
    throw new Error('invalid configuration:\n  INGEST_KEYS and VIEWER_TOKENS or OFFICER_TOKENS are required when NODE_ENV=production');
  // Only in development or test (NODE_ENV unset is development), and only when nothing is configured.
  const demoCredentials = !production && !configured;

  const keyPairs = (e.INGEST_KEYS ?? []).map((pair) => {
    const i = pair.indexOf(':');
    return [pair.slice(i + 1), pair.slice(0, i)] as const;
  });
  const screenTokens = [...principals(e.VIEWER_TOKENS ?? [], 'viewer'), ...principals(e.OFFICER_TOKENS ?? [], 'officer')];
  checkSecretsDistinct(keyPairs, screenTokens);
  const ingestKeys = new Map<string, string>(keyPairs);
  const tokens = new Map<string, Principal>(screenTokens);
  if (demoCredentials) {
    ingestKeys.set(DEMO.ingestKey, 'demo');
    tokens.set(DEMO.viewer, { role: 'viewer', name: DEMO.viewer, place: TOWN_PLACE });
    tokens.set(DEMO.officer, { role: 'officer', name: DEMO.officer, place: TOWN_PLACE });
  }
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    geoFile: e.GEO_FILE,
    sim: { enabled: e.SIM === 'on', speed: e.SIM_SPEED, seed: e.SIM_SEED, scale: e.SIM_SCALE },
    ingestKeys,
    tokens,
    demoCredentials,
    batchMs: e.BATCH_MS,
    heartbeatMs: e.HEARTBEAT_MS,
    resumeMaxEvents: e.RESUME_MAX_EVENTS,
    snapshotEntities: e.SNAPSHOT_ENTITIES,
    alarmScanMs: e.ALARM_SCAN_MS,
    retentionDays: e.RETENTION_DAYS,
    basemap: e.BASEMAP_URL ?? null,
    store: e.STORE === 'postgres' ? { kind: 'postgres', url: e.DATABASE_URL! } : { kind: 'sqlite', dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL ?? null,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? []).map((o) => o.toLowerCase()),
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}
