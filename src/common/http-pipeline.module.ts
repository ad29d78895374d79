import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { createValidationPipe } from './validation.js';

/**
 * The validation pipe and the error filter of every HTTP route, as providers: whatever
 * application imports this module — the API, the worker's probe port, a TestingModule —
 * validates and answers errors the same way.
 */
@Module({
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class HttpPipelineModule {}
