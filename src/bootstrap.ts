import { AppConfig, ConfigError, loadConfig } from './config/configuration.js';

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
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
