import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/configuration.js';

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.mongodbUri,
        autoIndex: config.mongodbAutoIndex,
        // Fail a request in seconds when the server is away instead of queueing it for long.
        serverSelectionTimeoutMS: 5_000,
        maxPoolSize: 20,
      }),
    }),
  ],
})
export class DatabaseModule {}
