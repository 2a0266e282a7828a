// Open311 GeoReport v2 on the wire (docs/open311.md): what /open311/v2/ answers and what it accepts.
// The answers follow the official JSON Schemas (tests/specs/open311/); field names are the spec's.
import { z } from 'zod';
import { isoTime } from './events';

const nullable = z.string().nullable();

export const serviceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: nullable,
  /** true: the service has attributes (GET services/{code}.json) */
  metadata: z.boolean(),
  /** realtime: the service_request_id is answered at once (no token) */
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: nullable,
  group: nullable,
});

export const serviceAttributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: nullable,
  order: z.int().nullable(),
  description: nullable,
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});

export const serviceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(serviceAttributeSchema) });

/**
 * The `attributes` extension (GeoReport v2 Extensions, "Extended Attributes"): a request's answers to
 * its service's attributes, returned with `extensions=true` so that a dump can be read back.
 */
export const requestAttributeSchema = z.object({ code: z.string(), name: z.string().optional(), value: z.union([z.string(), z.number()]).transform(String) });

export const serviceRequestSchema = z.object({
  /** `case:<id>` or `ticket:<id>`: ids are unique per stream only */
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: nullable,
  service_name: nullable,
  service_code: z.string(),
  description: nullable,
  agency_responsible: nullable,
  requested_datetime: z.string(),
  updated_datetime: nullable,
  expected_datetime: nullable,
  address: nullable,
  lat: z.number().nullable(),
  long: z.number().nullable(),
  attributes: z.array(requestAttributeSchema).optional(),
});

/** The answer to POST requests.json, one per request. */
export const postedRequestSchema = z.object({ service_request_id: z.string(), service_notice: nullable, account_id: nullable });

/** GeoReport errors are arrays of these; `code` is the HTTP status. */
export const open311ErrorSchema = z.object({ code: z.int(), description: z.string() });

export type Service = z.infer<typeof serviceSchema>;
export type ServiceAttribute = z.infer<typeof serviceAttributeSchema>;
export type ServiceDefinition = z.infer<typeof serviceDefinitionSchema>;
export type ServiceRequest = z.infer<typeof serviceRequestSchema>;
export type PostedRequest = z.infer<typeof postedRequestSchema>;
export type Open311Error = z.infer<typeof open311ErrorSchema>;

/** Page sizes of the requests list (the common `page`/`page_size` extension). */
export const PAGE_SIZE = { default: 100, max: 1000 } as const;
/** `service_request_id` lists at most this many ids. */
export const MAX_REQUEST_IDS = 100;

// "Optional" in GeoReport: an empty parameter is an absent one.
const absentIfEmpty = (v: unknown) => (v === '' || v === null ? undefined : v);
const optional = <T extends z.ZodType>(t: T) => z.preprocess(absentIfEmpty, t.optional());
const list = (what: string) => z.string().max(10_000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.string()).min(1, `expected ${what}`));
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const requestsQuerySchema = z.object({
  jurisdiction_id: optional(z.string()),
  api_key: optional(z.string()),
  service_request_id: optional(list('ids, comma separated').pipe(z.array(z.string()).max(MAX_REQUEST_IDS, `at most ${MAX_REQUEST_IDS} ids`))),
  service_code: optional(list('service codes, comma separated')),
  start_date: optional(isoTime),
  end_date: optional(isoTime),
  status: optional(list('open, closed or both').pipe(z.array(z.enum(['open', 'closed'])))),
  /** `true`: each request also carries its `attributes` (the extension above) */
  extensions: optional(z.enum(['true', 'false'], { message: 'expected true or false' })),
  page: z.preprocess(absentIfEmpty, count(1, 100_000).default(1)),
  page_size: z.preprocess(absentIfEmpty, count(1, PAGE_SIZE.max).default(PAGE_SIZE.default)),
});
export type RequestsQuery = z.infer<typeof requestsQuerySchema>;

const text = (max: number) => z.preprocess(absentIfEmpty, z.string().trim().max(max).optional());
const coordinate = (min: number, max: number) => {
  const range = `expected WGS84 degrees from ${min} to ${max}`;
  return z.preprocess(absentIfEmpty, z.coerce.number({ message: 'expected a number (WGS84 degrees)' }).min(min, range).max(max, range).optional());
};

/**
 * POST requests.json, form-encoded (as GeoReport clients send it) or JSON. Attributes come as
 * `attribute[code]=value` (forms) or `attribute: {code: value}` (JSON). Personal fields other than
 * the phone (email, names, device and account ids) are accepted and not kept.
 */
export const postRequestSchema = z.object({
  api_key: text(200),
  jurisdiction_id: text(200),
  service_code: z.string({ message: 'required: a service_code of GET services.json' }).trim().min(1, 'required: a service_code of GET services.json').max(100),
  lat: coordinate(-90, 90),
  long: coordinate(-180, 180),
  address_string: text(1000),
  address_id: text(200),
  description: text(4000),
  phone: text(40),
  email: text(200),
  first_name: text(100),
  last_name: text(100),
  device_id: text(200),
  account_id: text(200),
  media_url: text(2000),
  attribute: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});
export type PostRequest = z.infer<typeof postRequestSchema>;

/**
 * One request of a requests.json dump (the import tool's Open311 reader, docs/open311.md): what GET
 * requests.json answers, as another system exports it. Ids and codes may be numbers (the spec's own
 * examples have them so); `phone` is an extension a 12345 export carries (GeoReport answers never do).
 */
export const requestDumpSchema = z.object({
  service_request_id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1, 'required')),
  status: z.enum(['open', 'closed']),
  service_code: z.union([z.string(), z.number()]).transform(String),
  description: z.string().nullish(),
  requested_datetime: isoTime,
  updated_datetime: isoTime.nullish(),
  expected_datetime: isoTime.nullish(),
  address: z.string().nullish(),
  lat: z.number().nullish(),
  long: z.number().nullish(),
  phone: z.string().nullish(),
  attributes: z.array(requestAttributeSchema).nullish(),
});
export type RequestDump = z.infer<typeof requestDumpSchema>;
