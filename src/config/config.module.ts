import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './configuration.js';

/**
 * Provides the validated {@link AppConfig} that the entrypoint parsed once before Nest
 * started (so a bad variable failed fast with one line); tests pass theirs the same way.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
