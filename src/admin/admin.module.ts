import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { QUEUE_NAMES } from '../queues/queues.constants.js';
import { hasBasicCredentials, type Credentials } from './basic-auth.js';

export const ADMIN_ROUTE = '/admin/queues';
const ADMIN_CREDENTIALS = Symbol('ADMIN_CREDENTIALS');

/**
 * Bull Board, to inspect and retry failed jobs, behind HTTP Basic authentication; the API
 * module imports it only when ADMIN_USER and ADMIN_PASSWORD are set. The board's Fastify
 * plugin is registered here directly (see docs/decisions.md for why not @bull-board/nestjs),
 * and the check is a hook on every route under the prefix, its JSON API included.
 */
@Module({})
export class AdminModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly modules: ModuleRef,
    @Inject(ADMIN_CREDENTIALS) private readonly credentials: Credentials,
  ) {}

  static register(credentials: Credentials): DynamicModule {
    return {
      module: AdminModule,
      providers: [{ provide: ADMIN_CREDENTIALS, useValue: credentials }],
    };
  }

  onModuleInit(): void {
    const board = new FastifyAdapter();
    board.setBasePath(ADMIN_ROUTE);
    createBullBoard({
      queues: QUEUE_NAMES.map(
        (name) =>
          new BullMQAdapter(this.modules.get<Queue>(getQueueToken(name), { strict: false })),
      ),
      serverAdapter: board,
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      // The matched route, not the raw URL: `?x`, `%71ueues` or `//` cannot slip past it.
      const route = request.routeOptions.url ?? '';
      if (route !== ADMIN_ROUTE && !route.startsWith(`${ADMIN_ROUTE}/`)) return;
      if (hasBasicCredentials(request.headers.authorization, this.credentials)) return;
      await reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="todo-service admin", charset="UTF-8"')
        .send({ statusCode: 401, error: 'Unauthorized', message: 'admin credentials required' });
    });
    void fastify.register(board.registerPlugin(), { prefix: ADMIN_ROUTE });
  }
}
