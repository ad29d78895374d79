import type { ProcessRole } from '../config/process-role.js';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { JobMetricsRecorder } from './job-metrics.recorder.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** `GET /metrics` in both processes; the worker also records its jobs. */
@Module({})
export class MetricsModule {
  static forRoot(role: ProcessRole): DynamicModule {
    return {
      module: MetricsModule,
      imports: [ResponseCacheModule, ...(role === 'worker' ? [DiscoveryModule] : [])],
      controllers: [MetricsController],
      providers: [MetricsService, ...(role === 'worker' ? [JobMetricsRecorder] : [])],
    };
  }
}
