import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/access.decorator.js';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HealthCheckDto, HealthReportDto } from './dto/health-report.dto.js';
import { EventLoopIndicator } from './event-loop.indicator.js';
import { ReadinessChecks } from './readiness-checks.js';
import { ShutdownState } from './shutdown.state.js';

/** Kubernetes probes: liveness never looks past the process; readiness checks its stores. */
@ApiTags('health')
@ApiExtraModels(HealthCheckDto)
// Probes and scrapes carry no token.
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly eventLoop: EventLoopIndicator,
    private readonly readiness: ReadinessChecks,
    private readonly shutdown: ShutdownState,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto, description: 'The process is live.' })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'The event loop was blocked; the body names the check.',
  })
  @ApiOperation({
    operationId: 'checkLiveness',
    summary: 'Liveness: the process and its event loop',
  })
  live() {
    return this.health.check([() => this.eventLoop.check('event_loop')]);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthReportDto, description: 'Ready for traffic.' })
  @ApiOperation({
    operationId: 'checkReadiness',
    summary:
      'Readiness: MongoDB, Redis and the job queue answer within 800 ms each (a result is reused for up to a second); 503 while shutting down',
  })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'A check failed, or the process is shutting down; the body names the check.',
  })
  ready() {
    return this.health.check([
      () => {
        const check = this.indicators.check('shutdown');
        return this.shutdown.draining ? check.down('shutting down') : check.up();
      },
      ...this.readiness.checks,
    ]);
  }
}
