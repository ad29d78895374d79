import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { ExportFilesModule } from './export-files.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';

/** Export requests and downloads over HTTP; the worker writes the files. */
@Module({
  imports: [ExportFilesModule, IdempotencyModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
