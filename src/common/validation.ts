import { ValidationPipe } from '@nestjs/common';

/**
 * The one validation configuration: unknown properties are refused (which also refuses
 * operator payloads such as `content[$ne]=`), values are transformed into the DTO classes,
 * and error messages never echo the rejected value.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });
}
