import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import { CacheStats } from '../cache/cache-stats.js';
import { withinDeadline } from '../redis/within-deadline.js';
import { QUEUE_NAMES } from '../queues/queues.constants.js';
import { TodoReader } from '../todos/todo-reader.js';
import { createRegistry, httpDuration } from './metrics.js';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Prometheus metrics of this process: HTTP durations (a Fastify hook, so 404s and cache hits
 * count too), the response cache's counters, queue depth per state, and Node's own.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry: Registry = createRegistry();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly modules: ModuleRef,
    private readonly cache: CacheStats,
  ) {}

  onModuleInit(): void {
    const durations = httpDuration(this.registry);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      durations.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: reply.statusCode,
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
    this.cacheCounters();
    this.queueDepth();
    this.unreadableTodos();
  }

  private unreadableTodos(): void {
    const reader = this.modules.get(TodoReader, { strict: false });
    new Counter({
      name: 'todos_unreadable_total',
      help: 'Stored documents skipped by a read or an export because they cannot be todos',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(reader.unreadable);
      },
    });
  }

  private cacheCounters(): void {
    const stats = this.cache;
    for (const name of [
      'hits',
      'misses',
      'errors',
      'invalidations',
      'carried',
      'bypassed',
      'oversized',
    ] as const) {
      new Counter({
        name: `cache_${name}_total`,
        help: `Response cache ${name}`,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(stats[name]);
        },
      });
    }
    new Gauge({
      name: 'cache_available',
      help: 'Whether the response cache is in use (0 while Redis fails and reads go to MongoDB)',
      registers: [this.registry],
      collect() {
        this.set(stats.available ? 1 : 0);
      },
    });
  }

  private queueDepth(): void {
    const queues = QUEUE_NAMES.map((name) =>
      this.modules.get<Queue>(getQueueToken(name), { strict: false }),
    );
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        // A scrape while Redis is away reports no depth instead of hanging.
        const counts = await Promise.all(
          queues.map((queue) =>
            withinDeadline(queue.getJobCounts(...QUEUE_STATES), 'count jobs').catch(
              () => undefined,
            ),
          ),
        );
        counts.forEach((count, i) => {
          for (const state of QUEUE_STATES) {
            if (count) this.set({ queue: queues[i].name, state }, count[state] ?? 0);
          }
        });
      },
    });
  }
}
