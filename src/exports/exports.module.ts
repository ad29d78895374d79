import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { forRoles, only } from '../config/process-role.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { TodosModule } from '../todos/todos.module.js';
import { ExportFilesService } from './export-files.service.js';
import { ExportJobViews } from './export-job-views.js';
import { ExportRecord, ExportRecordSchema } from './export-record.schema.js';
import { ExportRecordsRepository } from './export-records.repository.js';
import { ExportsExpiry } from './exports-expiry.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsProcessor } from './exports.processor.js';
import { ExportsService } from './exports.service.js';

/** The exports' model, for this module and the index sync. */
export const EXPORT_MODELS = [{ name: ExportRecord.name, schema: ExportRecordSchema }];

/**
 * Exports. Every role: the records and their one writer, the files in GridFS (read from the
 * todos' model). The API: requests and downloads, and an export's job view for GET /jobs.
 * The worker: the export job, and the exports' maintenance (expiry) and account-deletion
 * steps.
 */
@Module({})
export class ExportsModule {
  static readonly forRole = forRoles(ExportsModule, (role) => ({
    imports: [
      MongooseModule.forFeature(EXPORT_MODELS),
      TodosModule.forRole(role),
      ...only('api', role, [IdempotencyModule]),
    ],
    controllers: only('api', role, [ExportsController]),
    providers: [
      ExportRecordsRepository,
      ExportFilesService,
      ...only('api', role, [ExportsService, ExportJobViews]),
      ...only('worker', role, [ExportsProcessor, ExportsExpiry]),
    ],
    exports: [MongooseModule, ...only('api', role, [ExportJobViews])],
  }));
}
