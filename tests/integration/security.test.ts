// Browser protections: the page's headers, and one origin allow-list for HTTP and Socket.IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startServer, type TestServer } from '../support/server';

let s: TestServer;
let open: TestServer;
beforeAll(async () => {
  s = await startServer();
  open = await startServer({ ALLOWED_ORIGINS: 'https://portal.example.gov.cn' });
});
afterAll(async () => {
  await s.stop();
  await open.stop();
});

const socketFrom = (url: string, origin?: string) =>
  new Promise<string>((resolve) => {
    const sock = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: 'demo-viewer' }, ...(origin ? { extraHeaders: { origin } } : {}) });
    sock.on('session', () => {
      sock.close();
      resolve('connected');
    });
    sock.on('connect_error', (e) => {
      sock.close();
      resolve(`refused: ${e.message}`);
    });
  });

describe('browser protections', () => {
  it('sends a strict CSP, nosniff, a frame policy and no referrer with every answer', async () => {
    const res = await fetch(`${s.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const api = await fetch(`${s.url}/api/v1/screen-config`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses HTTP from a foreign origin, and serves the page\'s own origin and non-browser clients', async () => {
    const host = new URL(s.url).host;
    const foreign = await fetch(`${s.url}/api/v1/screen-config`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'origin_not_allowed', message: 'origin https://evil.example is not allowed: add it to ALLOWED_ORIGINS' });
    expect((await fetch(`${s.url}/api/v1/screen-config`, { headers: { origin: `http://${host}` } })).status).toBe(200);
    expect((await fetch(`${s.url}/api/v1/screen-config`)).status).toBe(200);
    const nullOrigin = await fetch(`${s.url}/api/v1/screen-config`, { headers: { origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
  });

  it('refuses a socket from a foreign origin even with a valid token', async () => {
    expect(await socketFrom(s.url, 'https://evil.example')).toMatch(/^refused/);
    expect(await socketFrom(s.url, `http://${new URL(s.url).host}`)).toBe('connected');
    expect(await socketFrom(s.url)).toBe('connected');
  });

  it('lets an origin in ALLOWED_ORIGINS use the API (CORS), the socket, and frame the screen', async () => {
    const origin = 'https://portal.example.gov.cn';
    const pre = await fetch(`${open.url}/api/v1/overdue`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    const res = await fetch(`${open.url}/api/v1/overdue`, { headers: { origin, authorization: 'Bearer demo-viewer' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await socketFrom(open.url, origin)).toBe('connected');
    expect(await socketFrom(open.url, 'https://other.example')).toMatch(/^refused/);
    const page = await fetch(`${open.url}/`);
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${origin}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
  });

  it('names the variable when ALLOWED_ORIGINS is malformed', async () => {
    await expect(startServer({ ALLOWED_ORIGINS: 'portal.example.gov.cn/path' })).rejects.toThrow(/ALLOWED_ORIGINS: expected origins like/);
  });
});
