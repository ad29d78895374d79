import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/configuration.js';

/**
 * The MongoDB connection. An outage must fail requests quickly (503, see the error filter)
 * rather than hold them, so every wait has a bound from the config:
 *
 * - `bufferCommands: false`: Mongoose does not queue operations while it sees the connection
 *   down (its queue waits 10 s by default); they go to the driver, whose server selection is
 *   the one bound (`serverSelectionTimeoutMS`) and which reconnects by itself.
 * - `heartbeatFrequencyMS` + `connectTimeoutMS`: a frozen server fails its heartbeat, and the
 *   driver then interrupts the operations in flight on it.
 * - `socketTimeoutMS`: the backstop for a socket that stays silent regardless.
 */
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
        bufferCommands: false,
        ...config.mongodbTimeouts,
        maxPoolSize: 20,
      }),
    }),
  ],
})
export class DatabaseModule {}
