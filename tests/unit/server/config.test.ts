import { describe, expect, it } from 'vitest';
import { placeScope } from '../../../server/src/access/placeScope';
import { checkTokenPlaces, loadConfig, simFlags } from '../../../server/src/config';
import { loadTown } from '../../../server/src/geo/town';

describe('configuration', () => {
  it('defaults to the embedded demo with demo credentials', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.sim).toEqual({ enabled: true, speed: 1, seed: 1, scale: 1 });
    expect(c.demoCredentials).toBe(true);
    expect(c.ingestKeys.get('demo-ingest-key')).toBe('demo');
    expect(c.tokens.get('demo-viewer')).toEqual({ role: 'viewer', name: 'demo-viewer', place: 'town' });
    expect(c.tokens.get('demo-officer')).toEqual({ role: 'officer', name: 'demo-officer', place: 'town' });
  });

  it('refuses to start in production without keys and tokens', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/INGEST_KEYS/);
  });

  it('in production uses only what is configured', () => {
    const c = loadConfig({
      NODE_ENV: 'production', INGEST_KEYS: 'gridsys:0123456789abcdef', VIEWER_TOKENS: 'wall-token-1234', OFFICER_TOKENS: '张伟:duty-token-5678,duty-token-9999',
    });
    expect(c.demoCredentials).toBe(false);
    expect([...c.ingestKeys]).toEqual([['0123456789abcdef', 'gridsys']]);
    expect(c.tokens.get('demo-viewer')).toBeUndefined();
    expect(c.tokens.get('duty-token-5678')).toEqual({ role: 'officer', name: '张伟', place: 'town' });
    expect(c.tokens.get('duty-token-9999')).toEqual({ role: 'officer', name: 'officer-2', place: 'town' });
    expect(c.tokens.get('wall-token-1234')).toEqual({ role: 'viewer', name: 'viewer-1', place: 'town' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SIM: 'maybe' }, 'SIM'],
    [{ SIM_SPEED: '0' }, 'SIM_SPEED'],
    [{ BATCH_MS: '500' }, 'BATCH_MS'],
    [{ INGEST_KEYS: 'nokey' }, 'INGEST_KEYS'],
    [{ VIEWER_TOKENS: 'short' }, 'VIEWER_TOKENS'],
  ])('names the bad variable in %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });
});

describe('configuration fails closed', () => {
  const KEYS = { INGEST_KEYS: 'gridsys:0123456789abcdef', VIEWER_TOKENS: 'wall-token-1234' };

  it.each(['Production', 'prod', 'PRODUCTION', 'staging', 'dev', ' production'])('refuses NODE_ENV=%j instead of turning demo credentials on', (value) => {
    expect(() => loadConfig({ NODE_ENV: value })).toThrow(/NODE_ENV: expected exactly production, development or test/);
    expect(() => loadConfig({ NODE_ENV: value, ...KEYS })).toThrow(/NODE_ENV:/);
  });

  it('offers demo credentials only in development or test (unset is development), and only with nothing configured', () => {
    expect(loadConfig({}).demoCredentials).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).demoCredentials).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoCredentials).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', ...KEYS }).demoCredentials).toBe(false);
    const prod = loadConfig({ NODE_ENV: 'production', ...KEYS });
    expect([prod.production, prod.demoCredentials, prod.ingestKeys.has('demo-ingest-key'), prod.tokens.has('demo-viewer')]).toEqual([true, false, false, false]);
  });

  it.each([
    // The name is taken off first: what is left is the secret, and it is too short.
    ['OFFICER_TOKENS', 'zhangw:1', /OFFICER_TOKENS: officer token of zhangw: each officer token needs at least 8 characters/],
    ['OFFICER_TOKENS', 'zhangwei:', /OFFICER_TOKENS: officer token of zhangwei: each officer token needs at least 8 characters/],
    ['VIEWER_TOKENS', 'wall-a2:1234567@A2', /VIEWER_TOKENS: viewer token of wall-a2: each viewer token needs at least 8 characters/],
    // A name that is no name is refused, not swallowed into the token (40 letters + ":1" used to be one 42-character token).
    ['OFFICER_TOKENS', `${'x'.repeat(40)}:1`, /OFFICER_TOKENS: officer token 1: the holder's name before ":" must be 1–32 letters, digits, _ \. or -/],
    ['OFFICER_TOKENS', 'zhang wei:duty-token-5678', /OFFICER_TOKENS: officer token 1: the holder's name/],
    ['VIEWER_TOKENS', ':wall-token-1234', /VIEWER_TOKENS: viewer token 1: the holder's name/],
    ['VIEWER_TOKENS', 'wall:token with spaces', /VIEWER_TOKENS: viewer token of wall: a viewer token must not contain spaces or ":"/],
    ['VIEWER_TOKENS', 'wall:abc:defghijk', /VIEWER_TOKENS: viewer token of wall: a viewer token must not contain spaces or ":"/],
    ['INGEST_KEYS', 'gridsys:0123456 789abcdef', /INGEST_KEYS: expected source:key with a key of 12\+ characters without spaces/],
  ])('checks a token after its name is split off: %s=%s', (name, value, message) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...KEYS, [name]: value })).toThrow(message);
  });

  it('refuses one secret held twice, naming both holders and not the secret', () => {
    const run = (env: Record<string, string>) => () => loadConfig(env);
    expect(run({ VIEWER_TOKENS: 'wall:shared-token-1', OFFICER_TOKENS: '张伟:shared-token-1' })).toThrow(
      /VIEWER_TOKENS: the viewer token of wall and OFFICER_TOKENS: the officer token of 张伟 are the same secret/,
    );
    expect(run({ INGEST_KEYS: 'gridsys:shared-secret-12', VIEWER_TOKENS: 'shared-secret-12' })).toThrow(
      /INGEST_KEYS: the key of gridsys and VIEWER_TOKENS: the viewer token of viewer-1 are the same secret/,
    );
    expect(run({ INGEST_KEYS: 'gridsys:shared-secret-12,hotline:shared-secret-12' })).toThrow(/the key of gridsys and INGEST_KEYS: the key of hotline/);
    expect(run({ VIEWER_TOKENS: 'a:shared-token-1,b:shared-token-1' })).toThrow(/^((?!shared-token-1).)*$/s);
  });
});

describe('screen tokens bound to a place (三级: 镇·片·居)', () => {
  const town = loadTown();
  const scope = placeScope(town);
  const check = (env: Record<string, string>) => {
    const c = loadConfig(env);
    checkTokenPlaces(c.tokens, scope.has, town.geo.town.name);
    return c;
  };

  it('reads `[name:]token@place` for a 片区, 居民区 or grid; no suffix is the whole town', () => {
    const c = check({
      VIEWER_TOKENS: 'wall-a2:secret-token-123@A2,bare-token-4567@GS04,town-wall-token',
      OFFICER_TOKENS: '张伟:another-token-456@N07',
    });
    expect(c.tokens.get('secret-token-123')).toEqual({ role: 'viewer', name: 'wall-a2', place: 'A2' });
    expect(c.tokens.get('bare-token-4567')).toEqual({ role: 'viewer', name: 'viewer-2', place: 'GS04' });
    expect(c.tokens.get('town-wall-token')).toEqual({ role: 'viewer', name: 'viewer-3', place: 'town' });
    expect(c.tokens.get('another-token-456')).toEqual({ role: 'officer', name: '张伟', place: 'N07' });
    expect(c.tokens.has('secret-token-123@A2')).toBe(false);
    expect(c.demoCredentials).toBe(false);
  });

  it.each([
    ['VIEWER_TOKENS', 'wall:secret-token-123@', /VIEWER_TOKENS: viewer token of wall: "@" is not a place/],
    ['VIEWER_TOKENS', 'secret-token-123@Area2', /VIEWER_TOKENS: viewer token 1: "@Area2" is not a place/],
    ['OFFICER_TOKENS', 'ok-token-1234,张伟:another-token-456@town', /OFFICER_TOKENS: officer token of 张伟: "@town" is not a place/],
    ['OFFICER_TOKENS', '张伟:short@N07', /OFFICER_TOKENS: officer token of 张伟: each officer token needs at least 8 characters/],
  ])('names the variable of a malformed place or token: %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never repeats the secret in a message', () => {
    expect(() => loadConfig({ VIEWER_TOKENS: 'wall:secret-token-123@X9' })).toThrow(/^((?!secret-token).)*$/s);
  });

  it('refuses a place the town does not have, naming the variable and the holder', () => {
    expect(() => check({ VIEWER_TOKENS: 'wall-a9:secret-token-123@A9' })).toThrow(/VIEWER_TOKENS: the viewer token of wall-a9 is bound to A9, which is no 片区, 居民区 or grid of 新泾镇/);
    expect(() => check({ OFFICER_TOKENS: '张伟:another-token-456@N99' })).toThrow(/OFFICER_TOKENS: .*N99/);
    expect(() => check({ VIEWER_TOKENS: 'secret-token-123@GC99' })).toThrow(/VIEWER_TOKENS: the viewer token of viewer-1 is bound to GC99/);
  });
});

describe('simulator flags', () => {
  it('maps --scale, --speed and --seed onto the simulator settings', () => {
    const flags = simFlags(['--scale', '100', '--speed=60', '--seed', '7', '--unrelated']);
    expect(flags).toEqual({ SIM_SCALE: '100', SIM_SPEED: '60', SIM_SEED: '7' });
    expect(loadConfig({ SIM_SCALE: '1', ...flags }).sim).toEqual({ enabled: true, speed: 60, seed: 7, scale: 100 });
  });
  it('names a flag without a value', () => {
    expect(() => simFlags(['--scale'])).toThrow(/--scale: expected a value/);
  });
});
