import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { TodosModule } from './todos/todos.module.js';

/** The API process: HTTP routes over the shared modules. */
@Module({
  imports: [ConfigModule, DatabaseModule, TodosModule],
})
export class AppModule {}
