import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ExportRecord, ExportRecordSchema } from './export-record.schema.js';
import { ExportRecordsRepository } from './export-records.repository.js';

/** The exports' records and their one writer, for the API, the worker and the index sync. */
@Module({
  imports: [MongooseModule.forFeature([{ name: ExportRecord.name, schema: ExportRecordSchema }])],
  providers: [ExportRecordsRepository],
  exports: [ExportRecordsRepository, MongooseModule],
})
export class ExportRecordsModule {}
