import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../cache/cache.module.js';
import { TodoModelModule } from './todo-model.module.js';
import { TodosRepository } from './todos.repository.js';

/** The todos' one writer, for every module that changes todos (API, worker, seeding). */
@Module({
  imports: [TodoModelModule, ResponseCacheModule],
  providers: [TodosRepository],
  exports: [TodosRepository, TodoModelModule],
})
export class TodosDataModule {}
