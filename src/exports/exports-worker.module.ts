import { Module } from '@nestjs/common';
import { ExportFilesModule } from './export-files.module.js';
import { ExportsProcessor } from './exports.processor.js';

/** The export job's processor: imported by the worker module only, never by the API. */
@Module({ imports: [ExportFilesModule], providers: [ExportsProcessor] })
export class ExportsWorkerModule {}
