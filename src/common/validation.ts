import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * A body field that may be left out but not sent as `null`. class-validator's `IsOptional`
 * skips the field's validators for `null` too, so a `null` the schema does not allow would
 * pass unchecked into the service; a field that takes `null` says so (`nullable`) and
 * validates it itself.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

/**
 * A string of at most `maxLength` characters that `pattern` matches. class-validator runs
 * every decorator of a property whatever failed before, in an order no one reads, so a
 * separate `@MaxLength` cannot keep a pattern off a 60,000-character value: here the length
 * is checked first and the pattern never sees an over-long value.
 */
export const MatchesWithin = (
  pattern: RegExp,
  maxLength: number,
  message: string,
  options?: ValidationOptions,
) =>
  ValidateBy(
    {
      name: 'matchesWithin',
      constraints: [pattern, maxLength],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= maxLength && pattern.test(value),
        defaultMessage: () => message,
      },
    },
    options,
  );

/**
 * How deeply a request value may nest. The DTOs are flat; the bound is there because
 * class-transformer walks a value recursively, and a 64 KiB body of `[[[…]]]` nested some
 * 10,000 levels deep would otherwise overflow the stack (a 500) instead of being a 400.
 */
export const MAX_INPUT_DEPTH = 16;

/**
 * Property names that reach an object's prototype. class-transformer skips them silently,
 * so without this check `?__proto__=x` or `?constructor=x` would pass as if unsent instead
 * of being refused like any other unknown field.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why `value` must be refused before it is transformed (nested deeper than `maxDepth`, or a
 * prototype key at any depth), or `undefined`; found without recursion.
 */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return `nests deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(item)) {
      if (PROTOTYPE_KEYS.has(key)) return `has a forbidden property name: ${key}`;
      pending.push([child, depth + 1]);
    }
  }
  return undefined;
}

/** The ValidationPipe, refusing over-deep input and prototype keys before transforming. */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = inputProblem(value);
    if (problem) throw new BadRequestException(`${metadata.type} ${problem}`);
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

const OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
};

/**
 * The one validation configuration: unknown properties are refused (which also refuses
 * operator payloads such as `content[$ne]=`), values are transformed into the DTO classes,
 * error messages never echo the rejected value, and over-deep input and prototype keys
 * are refused.
 */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe(OPTIONS);
}
