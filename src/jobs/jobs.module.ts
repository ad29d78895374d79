import { Module } from '@nestjs/common';
import { ExportJobViews } from '../exports/export-job-views.js';
import { ExportRecordsModule } from '../exports/export-records.module.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

/** The HTTP view of background jobs; an export's is its record's (the exports feature's). */
@Module({
  imports: [ExportRecordsModule],
  controllers: [JobsController],
  providers: [JobsService, ExportJobViews],
})
export class JobsModule {}
