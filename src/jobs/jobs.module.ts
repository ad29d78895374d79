import { Global, Module } from '@nestjs/common';
import { JobsProducer } from './jobs.producer.js';

/** The producer every feature adds its jobs with; the worker process adds `JobsWorker`. */
@Global()
@Module({ providers: [JobsProducer], exports: [JobsProducer] })
export class JobsModule {}
