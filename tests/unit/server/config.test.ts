import { describe, expect, it } from 'vitest';
import { loadConfig, simFlags } from '../../../server/src/config';

describe('configuration', () => {
  it('defaults to the embedded demo with demo credentials', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.sim).toEqual({ enabled: true, speed: 1, seed: 1, scale: 1 });
    expect(c.demoCredentials).toBe(true);
    expect(c.ingestKeys.get('demo-ingest-key')).toBe('demo');
    expect(c.tokens.get('demo-viewer')).toEqual({ role: 'viewer', name: 'demo-viewer' });
    expect(c.tokens.get('demo-officer')).toEqual({ role: 'officer', name: 'demo-officer' });
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
    expect(c.tokens.get('duty-token-5678')).toEqual({ role: 'officer', name: '张伟' });
    expect(c.tokens.get('duty-token-9999')).toEqual({ role: 'officer', name: 'officer-2' });
    expect(c.tokens.get('wall-token-1234')).toEqual({ role: 'viewer', name: 'viewer-1' });
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
