import 'reflect-metadata';
import { bootWorker } from './worker-boot.js';
import { WorkerModule } from './worker.module.js';

await bootWorker((config) => WorkerModule.register(config));
