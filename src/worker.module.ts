import { Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';

/** The worker process: the shared modules, and the queue processors as they arrive. */
@Module({
  imports: [ConfigModule, DatabaseModule],
})
export class WorkerModule {}
