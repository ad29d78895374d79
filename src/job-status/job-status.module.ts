import { Module } from '@nestjs/common';
import { ExportJobViews } from '../exports/export-job-views.js';
import { ExportRecordsModule } from '../exports/export-records.module.js';
import { JobStatusController } from './job-status.controller.js';
import { JobStatusService } from './job-status.service.js';

/** The HTTP view of background jobs; an export's is its record's (the exports feature's). */
@Module({
  imports: [ExportRecordsModule],
  controllers: [JobStatusController],
  providers: [JobStatusService, ExportJobViews],
})
export class JobStatusModule {}
