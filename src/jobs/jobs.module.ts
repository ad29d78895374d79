import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

/** The HTTP view of background jobs. */
@Module({ controllers: [JobsController], providers: [JobsService] })
export class JobsModule {}
