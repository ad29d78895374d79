import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OwnerScope } from '../auth/owner-scope.js';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { forRoles, only } from '../config/process-role.js';
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
  static readonly forRole = forRoles(OriginalModule, (role) => ({
    global: true,
    imports: [
      AuthModule.forRole(role),
      TodosModule.forRole(role),
      // The cache module for @CacheView() on the original's list, and the watcher's invalidation.
      ResponseCacheModule,
    ],
    controllers: only('api', role, [LegacyTodoController]),
    providers: [
      LegacyOwner,
      { provide: OwnerScope, useExisting: LegacyOwner },
      ...only('api', role, [LegacyTodosService]),
      ...only('worker', role, [OriginalTodosRepository, OriginalWritesWatcher]),
    ],
    exports: [OwnerScope],
  }));
}
