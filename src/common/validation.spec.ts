import { BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { createValidationPipe, MAX_INPUT_DEPTH, nestsDeeperThan } from './validation.js';

class Body {
  @IsString()
  content!: string;
}

/** `levels` arrays nested in one another. */
const nested = (levels: number): unknown =>
  JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('nestsDeeperThan', () => {
  it.each([
    ['a string', 'x', 0, false],
    ['null', null, 0, false],
    ['a flat object', { a: 1 }, 1, false],
    ['an object in an object', { a: { b: 1 } }, 1, true],
    ['arrays 16 deep', nested(16), 16, false],
    ['arrays 17 deep', nested(17), 16, true],
  ])('%s', (_name, value, limit, expected) => {
    expect(nestsDeeperThan(value, limit)).toBe(expected);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(100_000), MAX_INPUT_DEPTH)).toBe(true);
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body', metatype: Body } as const;

  it('refuses a deeply nested body with a 400 before transforming it', async () => {
    await expect(pipe.transform({ content: nested(10_000) }, body)).rejects.toThrow(
      BadRequestException,
    );
  });

  it('still validates and transforms ordinary input', async () => {
    await expect(pipe.transform({ content: 'a' }, body)).resolves.toBeInstanceOf(Body);
    await expect(pipe.transform({ content: 1 }, body)).rejects.toThrow(BadRequestException);
  });
});
