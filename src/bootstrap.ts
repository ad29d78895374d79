import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { ShutdownState } from './health/shutdown.state.js';
import { AppConfig, ConfigError, loadConfig } from './config/configuration.js';
import { maskCredentials } from './config/secrets.js';

/**
 * On SIGTERM/SIGINT: readiness turns 503 at once, and after `shutdownDelayMs` (time for load
 * balancers to stop sending) the application closes — the HTTP server stops accepting and
 * lets in-flight requests finish, workers let active jobs finish, then connections close —
 * and the process exits 0. Nest's own shutdown hooks cannot flip readiness before anything
 * closes, and re-raise the signal (exit status 143, a crash to supervisors). Whatever still
 * runs after `shutdownGraceMs` is abandoned: a job left active is taken over by another
 * worker once its lock expires.
 */
export function enableGracefulShutdown(app: INestApplicationContext, config: AppConfig): void {
  let started = false;
  const shutdown = async () => {
    if (started) return;
    started = true;
    setTimeout(() => {
      process.stderr.write(
        `shutdown took longer than ${config.shutdownGraceMs} ms; exiting anyway\n`,
      );
      process.exit(0);
    }, config.shutdownGraceMs).unref();
    app.get(ShutdownState, { strict: false }).draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

/**
 * Validates the configuration before anything starts, so a bad variable stops the process
 * with one line naming it, then runs the entrypoint; any failure of `start` exits 1 with one
 * line, `failure: <message>`.
 */
export async function bootOrExit(
  start: (config: AppConfig) => Promise<void>,
  failure = 'Failed to start',
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG: supervisors can tell a config error from a crash.
  }
  try {
    await start(config);
  } catch (error) {
    // A driver's message may quote the URI it was given: its credentials are masked.
    const message = maskCredentials(error instanceof Error ? error.message : String(error));
    process.stderr.write(`${failure}: ${message}\n`);
    process.exit(1);
  }
}

@Module({})
class OneOffModule {}

/** The root module of a one-off entrypoint (seed, migration, index sync): `imports`, nothing else. */
export const oneOffModule = (imports: NonNullable<DynamicModule['imports']>): DynamicModule => ({
  module: OneOffModule,
  imports,
});
