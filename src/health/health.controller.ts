import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { READINESS_TIMEOUT_MS } from './health.constants.js';
import { EventLoopIndicator } from './event-loop.indicator.js';
import { RedisIndicator } from './redis.indicator.js';

/** Kubernetes probes: liveness never looks past the process; readiness checks its stores. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventLoop: EventLoopIndicator,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly redis: RedisIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process and its event loop' })
  live() {
    return this.health.check([() => this.eventLoop.check('event_loop')]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: MongoDB and Redis answer within 800 ms each' })
  @ApiServiceUnavailableResponse({ description: 'A check failed; the body names it.' })
  ready() {
    return this.health.check([
      () => this.mongoose.pingCheck('mongodb', { timeout: READINESS_TIMEOUT_MS }),
      () => this.redis.check('redis'),
    ]);
  }
}
