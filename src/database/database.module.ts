import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/configuration.js';

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongodbUri,
        // With index building off (production), the processes run no DDL at all: collections
        // and indexes are made by `dist/sync-indexes.js`, once per release, not by every replica
        // at boot, and the database user of the API and worker needs no createIndex right.
        autoIndex: config.mongodbAutoIndex,
        autoCreate: config.mongodbAutoIndex,
        // Fail a request in seconds when the server is away instead of queueing it for long.
        serverSelectionTimeoutMS: 5_000,
        maxPoolSize: 20,
      }),
    }),
  ],
})
export class DatabaseModule {}
