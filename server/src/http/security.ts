// Browser protections (docs/security.md): a Content-Security-Policy the screen works under, nosniff,
// frame-ancestors and a referrer policy (helmet), and one origin allow-list for HTTP and Socket.IO —
// the page's own origin, plus ALLOWED_ORIGINS. Clients that are not browsers send no Origin and pass.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** The origin of a basemap URL (XYZ template, TileJSON, style.json or pmtiles://…), for img-src and connect-src. */
function basemapOrigin(url: string | null): string[] {
  if (!url) return [];
  try {
    return [new URL(url.replace(/^pmtiles:\/\//, '').replace(/\{[a-z]\}/g, '0')).origin];
  } catch {
    return [];
  }
}

/** Whether a request's Origin (if any) is the page's own or allowed: compared by host, as TLS may end at a proxy. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true; // not a browser, or a same-origin GET
  const o = origin.toLowerCase();
  if (allowed.includes(o)) return true;
  try {
    return host !== undefined && new URL(o).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and anything unparsable
  }
}

export const socketOriginCheck = (allowed: readonly string[]) => (req: IncomingMessage, done: (err: string | null, ok: boolean) => void) =>
  originAllowed(req.headers.origin, req.headers.host, allowed) ? done(null, true) : done('origin not allowed', false);

export async function registerSecurity(app: FastifyInstance, opts: { allowedOrigins: readonly string[]; basemap: string | null }) {
  const extra = basemapOrigin(opts.basemap);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // ECharts writes its tooltips as HTML with style attributes; no inline <style> or script anywhere.
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...extra],
        fontSrc: ["'self'", 'data:'],
        // MapLibre runs its workers from a blob URL; the socket is same-origin (ws: counts as 'self').
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", ...extra],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", ...opts.allowedOrigins],
      },
    },
    // Embedding by an allowed portal is decided by frame-ancestors above, not by X-Frame-Options.
    frameguard: opts.allowedOrigins.length ? false : { action: 'sameorigin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
    crossOriginResourcePolicy: { policy: opts.allowedOrigins.length ? 'cross-origin' : 'same-origin' },
  });
  // Allowed foreign origins get CORS answers; any other foreign origin is refused before routing.
  await app.register(cors, { origin: [...opts.allowedOrigins], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });
  app.addHook('onRequest', async (req, reply) => {
    if (!originAllowed(req.headers.origin, req.headers.host, opts.allowedOrigins))
      return reply.code(403).send({ error: 'origin_not_allowed', message: `origin ${req.headers.origin} is not allowed: add it to ALLOWED_ORIGINS` });
  });
}
