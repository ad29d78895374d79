import { Module } from '@nestjs/common';
import { RemindersScheduler } from './reminders.scheduler.js';

@Module({ providers: [RemindersScheduler], exports: [RemindersScheduler] })
export class RemindersModule {}
