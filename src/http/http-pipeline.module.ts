import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { BodyTypesGuard } from './body-types.guard.js';
import { HttpExceptionFilter } from '../common/http-exception.filter.js';
import { createValidationPipe } from '../common/validation.js';

/**
 * The body-type check, the validation pipe and the error filter of every HTTP route, as providers: whatever
 * application imports this module — the API, the worker's probe port, a TestingModule —
 * validates and answers errors the same way.
 */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: BodyTypesGuard },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class HttpPipelineModule {}
