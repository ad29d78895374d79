import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module.js';
import { JobStatusController } from './job-status.controller.js';
import { JobStatusService } from './job-status.service.js';

/** The HTTP view of background jobs, in the API; an export's is the exports feature's. */
@Module({
  imports: [ExportsModule.forRole('api')],
  controllers: [JobStatusController],
  providers: [JobStatusService],
})
export class JobStatusModule {}
