import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', leaseMs: 30_000, seedExamples: true });
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it('names every bad variable, never echoing the API key', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', SWITCHBOARD_API_KEY: 'short-secret', SWITCHBOARD_SEED_EXAMPLES: 'maybe' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/PORT="eighty" must be a port number/);
    expect(error?.message).toMatch(/SWITCHBOARD_SEED_EXAMPLES="maybe" must be true or false/);
    expect(error?.message).toMatch(/SWITCHBOARD_API_KEY=\(hidden\) must be at least 16 characters/);
    expect(error?.message).not.toContain('short-secret');
  });

  it('selects Postgres with DATABASE_URL, requiring the keys every process shares, never echoing the URL', () => {
    expect(loadConfig({}).database).toEqual({ kind: 'sqlite' });
    const shared = { SWITCHBOARD_ENCRYPTION_KEY: 'a'.repeat(64), SWITCHBOARD_API_KEY: 'k'.repeat(20) };
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://sb:pw@db:5432/sb',
        SWITCHBOARD_DATABASE_SCHEMA: 'tenant_a',
        ...shared,
      }).database,
    ).toEqual({ kind: 'postgres', url: 'postgres://sb:pw@db:5432/sb', schema: 'tenant_a' });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://sb@db/sb' })).toThrow(
      /SWITCHBOARD_ENCRYPTION_KEY is required with DATABASE_URL[\s\S]*SWITCHBOARD_API_KEY is required/,
    );
    let error: ConfigError | undefined;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://root:hunter2@db/sb',
        SWITCHBOARD_DATABASE_SCHEMA: 'Bad-Name',
        ...shared,
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.message).toMatch(/DATABASE_URL=\(hidden\) must be a postgres:\/\/ URL/);
    expect(error?.message).toMatch(/SWITCHBOARD_DATABASE_SCHEMA="Bad-Name" must be a lower-case/);
    expect(error?.message).not.toContain('hunter2');
  });

  it('takes REDIS_URL for the shared send limit, never echoing it', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(() => loadConfig({ REDIS_URL: 'http://:s3cret@cache:6379' })).toThrow(
      /^(?![\s\S]*s3cret)[\s\S]*REDIS_URL=\(hidden\) must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('takes a process role, web and worker only with a shared database', () => {
    expect(loadConfig({}).role).toBe('all');
    const shared = {
      DATABASE_URL: 'postgres://sb@db/sb',
      SWITCHBOARD_ENCRYPTION_KEY: 'a'.repeat(64),
      SWITCHBOARD_API_KEY: 'k'.repeat(20),
    };
    expect(loadConfig({ ...shared, SWITCHBOARD_ROLE: 'worker' }).role).toBe('worker');
    expect(() => loadConfig({ SWITCHBOARD_ROLE: 'web' })).toThrow(/SWITCHBOARD_ROLE=web needs DATABASE_URL/);
    expect(() => loadConfig({ ...shared, SWITCHBOARD_ROLE: 'both' })).toThrow(
      /SWITCHBOARD_ROLE="both" must be all, web or worker/,
    );
  });

  it('parses the test-only fault injection setting', () => {
    expect(loadConfig({ SWITCHBOARD_FAULT: 'kill-after-step:send.1' }).fault).toEqual({
      kind: 'kill-after-step',
      nodeId: 'send.1',
    });
    expect(() => loadConfig({ SWITCHBOARD_FAULT: 'explode' })).toThrow(ConfigError);
  });
});
