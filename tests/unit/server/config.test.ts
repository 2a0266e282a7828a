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
