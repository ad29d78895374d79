import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventLoopIndicator } from './event-loop.indicator.js';
import { HealthController } from './health.controller.js';
import { QueueIndicator } from './queue.indicator.js';
import { ReadinessChecks } from './readiness-checks.js';
import { RedisIndicator } from './redis.indicator.js';
import { ShutdownState } from './shutdown.state.js';

/** The same probes in both processes: on the API port, and on the worker's health port. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [EventLoopIndicator, RedisIndicator, QueueIndicator, ReadinessChecks, ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
