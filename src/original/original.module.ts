import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OwnerScope } from '../auth/owner-scope.js';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { AppConfig } from '../config/configuration.js';
import { forRoles, only } from '../config/process-role.js';
import { OWN_SHAPE, TodoShape } from '../todos/todo-shape.js';
import { TodosModule } from '../todos/todos.module.js';
import { LegacyOwner } from './legacy-owner.service.js';
import { LegacyTodoController } from './legacy-todo.controller.js';
import { LegacyTodosService } from './legacy-todos.service.js';
import { ORIGINAL_SHAPE } from './original-shape.js';
import { OriginalTodosRepository } from './original-todos.repository.js';
import { OriginalWritesWatcher } from './original-writes.watcher.js';
import { TodoMigration } from './todo-migration.service.js';

/**
 * The original service's compatibility. In every process it answers the core's two
 * questions: `OwnerScope` (auth: which account holds what has no owner) with LEGACY_OWNER's,
 * and `TodoShape` (todos: the form a todo is written in) with the original's during a
 * cutover with STORE_ORIGINAL_TIMES. Global, so the core asks them without importing this
 * folder. The API adds the original's routes; the worker, during a cutover, the watch for
 * the original's writes; the commands, the migration.
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
      {
        provide: TodoShape,
        inject: [AppConfig],
        useFactory: (config: AppConfig) => (config.storeOriginalTimes ? ORIGINAL_SHAPE : OWN_SHAPE),
      },
      ...only('api', role, [LegacyTodosService]),
      ...(role === 'api' ? [] : [OriginalTodosRepository]),
      ...only('worker', role, [OriginalWritesWatcher]),
      ...only('command', role, [TodoMigration]),
    ],
    exports: [OwnerScope, TodoShape],
  }));
}
