import { type DynamicModule, Module } from '@nestjs/common';
import { AuthDataModule } from '../auth/auth-data.module.js';
import { OwnerScope } from '../auth/owner-scope.js';
import { ResponseCacheModule } from '../cache/cache.module.js';
import type { ProcessRole } from '../config/process-role.js';
import { TodoModelModule } from '../todos/todo-model.module.js';
import { TodosDataModule } from '../todos/todos-data.module.js';
import { TodosModule } from '../todos/todos.module.js';
import { LegacyOwner } from './legacy-owner.service.js';
import { LegacyTodoController } from './legacy-todo.controller.js';
import { LegacyTodosService } from './legacy-todos.service.js';
import { OriginalTodosRepository } from './original-todos.repository.js';
import { OriginalWritesWatcher } from './original-writes.watcher.js';

/**
 * The original service's compatibility. In every process it answers the core's one
 * question, `OwnerScope`, with LEGACY_OWNER's account; global, so the core's guard and
 * services ask it without importing this folder. The API adds the original's routes; the
 * worker, during a cutover, the watch for the original's writes.
 */
@Module({})
export class OriginalModule {
  static forRole(role: ProcessRole): DynamicModule {
    const scope = {
      imports: [AuthDataModule],
      providers: [LegacyOwner, { provide: OwnerScope, useExisting: LegacyOwner }],
    };
    const work =
      role === 'api'
        ? {
            // The cache module for @CacheView() on the original's list.
            imports: [TodosModule, TodosDataModule, ResponseCacheModule],
            controllers: [LegacyTodoController],
            providers: [LegacyTodosService],
          }
        : {
            imports: [TodoModelModule, ResponseCacheModule],
            controllers: [],
            providers: [OriginalTodosRepository, OriginalWritesWatcher],
          };
    return {
      module: OriginalModule,
      global: true,
      imports: [...scope.imports, ...work.imports],
      controllers: work.controllers,
      providers: [...scope.providers, ...work.providers],
      exports: [OwnerScope],
    };
  }
}
