import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationPipeOptions,
} from '@nestjs/common';

/**
 * How deeply a request value may nest. The DTOs are flat; the bound is there because
 * class-transformer walks a value recursively, and a 64 KiB body of `[[[…]]]` nested some
 * 10,000 levels deep would otherwise overflow the stack (a 500) instead of being a 400.
 */
export const MAX_INPUT_DEPTH = 16;

/** Whether `value` nests objects or arrays deeper than `limit`, found without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** The ValidationPipe, refusing over-deep input before class-transformer sees it. */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
      throw new BadRequestException(`${metadata.type} nests deeper than ${MAX_INPUT_DEPTH} levels`);
    }
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
 * error messages never echo the rejected value, and over-deep input is refused.
 */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe(OPTIONS);
}
