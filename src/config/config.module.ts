import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './configuration.js';

/**
 * Provides the validated {@link AppConfig}. Entrypoints call `loadConfig()` before Nest
 * starts so a bad variable fails fast with one line; this module re-reads the same
 * environment, which is cheap and keeps the module usable on its own in tests.
 */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
