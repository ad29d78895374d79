import { ConfigError, loadConfig } from './configuration.js';
import { DEVELOPMENT_CURSOR_SECRET, maskCredentials } from './secrets.js';

/** The message loadConfig throws for `env`; fails the test if it does not throw. */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig accepted ${Object.keys(env).join(', ')}`);
}

const LONG = 'k3Jq9vX2mB7nR4tW8yZ1cF6hL0pS5dG3'; // 32 characters, no placeholder
const PRODUCTION = { NODE_ENV: 'production', CURSOR_SECRET: LONG };
const WITH_ADMIN = { ...PRODUCTION, ADMIN_USER: 'admin', ADMIN_PASSWORD: LONG };

describe('config errors never print a secret', () => {
  it.each([
    ['CURSOR_SECRET', 'short-secret'],
    ['ADMIN_PASSWORD', 'hunter2'],
  ])('names %s and its rule, not its value', (name, value) => {
    const message = configError({ ADMIN_USER: 'admin', [name]: value });
    expect(message).toMatch(new RegExp(`${name}: .*\\(value not shown: a secret\\)`));
    expect(message).not.toContain(value);
  });

  it.each([
    ['MONGODB_URI', 'mongodb://app:s3cr3t-pw@db:27017/todo?retryWrites=maybe', 'app:****@db'],
    ['REDIS_URL', 'valkey://:s3cr3t-pw@cache:6379', ':****@cache'],
    ['REMINDER_WEBHOOK_URL', 'ftp://hook:s3cr3t-pw@example.com/', 'hook:****@example.com'],
  ])('shows %s with its password masked', (name, value, masked) => {
    // MONGODB_URI: a bad option is not a config error, so the URI fails on its scheme.
    const bad = name === 'MONGODB_URI' ? value.replace('mongodb', 'mongo') : value;
    const message = configError({ [name]: bad });
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect(message).toContain(masked);
    expect(message).not.toContain('s3cr3t-pw');
  });

  it.each([
    ['MONGODB_URI', 'mongodb://todo:CHANGE-ME@mongodb:27017/todo', 'todo:****@mongodb'],
    ['REDIS_URL', 'redis://:CHANGE-ME@redis:6379', ':****@redis'],
  ])('masks %s when production refuses its placeholder password', (name, value, masked) => {
    const message = configError({ ...PRODUCTION, [name]: value });
    expect(message).toMatch(new RegExp(`${name}: holds a CHANGE-ME placeholder`));
    expect(message).toContain(masked);
    expect(message).not.toContain('CHANGE-ME@');
  });

  it('masks every form of user part, and leaves a URI without one alone', () => {
    expect(maskCredentials('redis://secret@host:6379')).toBe('redis://****@host:6379');
    expect(maskCredentials('mongodb://u:p@ss:w/rd@h1,h2/db')).toBe('mongodb://u:****@h1,h2/db');
    expect(maskCredentials('redis://host:6379')).toBe('redis://host:6379');
    expect(maskCredentials('not a uri @ all')).toBe('not a uri @ all');
  });
});

describe('production refuses weak and placeholder secrets', () => {
  it('boots with a long secret of its own', () => {
    expect(loadConfig(PRODUCTION).cursorSecret).toBe(LONG);
    expect(loadConfig({ ...PRODUCTION, ADMIN_USER: 'admin', ADMIN_PASSWORD: LONG }).admin).toEqual({
      user: 'admin',
      password: LONG,
    });
  });

  it('refuses the public default CURSOR_SECRET, set or left unset', () => {
    for (const env of [
      { NODE_ENV: 'production' },
      { ...PRODUCTION, CURSOR_SECRET: DEVELOPMENT_CURSOR_SECRET },
    ]) {
      expect(configError(env)).toMatch(/CURSOR_SECRET: is the public development default/);
    }
    // Outside production the default stays, for a clone that just runs.
    expect(loadConfig({}).cursorSecret).toBe(DEVELOPMENT_CURSOR_SECRET);
  });

  it.each([
    ['CURSOR_SECRET', 'CHANGE-ME-to-a-long-random-value', /holds a CHANGE-ME placeholder/],
    ['CURSOR_SECRET', 'x'.repeat(20) + 'change-me' + 'x'.repeat(20), /holds a CHANGE-ME/],
    ['CURSOR_SECRET', 'a'.repeat(31), /must be at least 32 characters in production/],
    ['ADMIN_PASSWORD', 'CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME', /holds a CHANGE-ME placeholder/],
    ['ADMIN_PASSWORD', 'correct-horse-battery', /must be at least 32 characters in production/],
  ])('refuses %s=%s', (name, value, rule) => {
    const message = configError({ ...WITH_ADMIN, [name]: value });
    expect(message).toMatch(new RegExp(`${name}: ${rule.source}`));
    expect(message).not.toContain(value);
    // The same value passes outside production: the rule is production's.
    expect(() => loadConfig({ ...WITH_ADMIN, NODE_ENV: 'test', [name]: value })).not.toThrow();
  });
});
