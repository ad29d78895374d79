import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_LOOP_MAX_DELAY_MS } from './health.constants.js';

/** Liveness: the longest event-loop delay since the previous probe, nothing external. */
@Injectable()
export class EventLoopIndicator implements OnModuleDestroy {
  private readonly delays: ELDHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor(private readonly health: HealthIndicatorService) {
    this.delays.enable();
  }

  onModuleDestroy(): void {
    this.delays.disable();
  }

  check(key: 'event_loop') {
    const maxMs = this.delays.max / 1e6;
    this.delays.reset();
    const indicator = this.health.check(key);
    const data = { max_delay_ms: Math.round(maxMs), threshold_ms: EVENT_LOOP_MAX_DELAY_MS };
    return maxMs > EVENT_LOOP_MAX_DELAY_MS ? indicator.down(data) : indicator.up(data);
  }
}
