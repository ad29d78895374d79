import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from './config/configuration.js';

/**
 * On SIGTERM/SIGINT, close the application (its hooks stop servers and workers, wait for
 * what is in flight, and close connections), then exit 0. Nest's default re-raises the
 * signal after closing, which ends the process with 143 and reads as a crash to
 * supervisors. Whatever is still running after `graceMs` is abandoned: a job left active
 * is picked up again by another worker once its lock expires.
 */
export function enableGracefulShutdown(app: INestApplicationContext, graceMs: number): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const deadline = () => {
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${graceMs} ms; exiting anyway\n`);
      process.exit(0);
    }, graceMs).unref();
  };
  process.once('SIGTERM', deadline);
  process.once('SIGINT', deadline);
}

/**
 * Validates the configuration before anything starts, so a bad variable stops the process
 * with one line naming it, then runs the entrypoint; any boot failure exits non-zero.
 */
export async function bootOrExit(start: (config: AppConfig) => Promise<void>): Promise<void> {
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
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
