import { BadRequestException } from '@nestjs/common';
import { IsString } from 'class-validator';
import { CreateTokenDto } from '../auth/dto/me.dto.js';
import { CreateExportDto } from '../exports/dto/create-export.dto.js';
import { CreateTodoDto } from '../todos/dto/create-todo.dto.js';
import { UpdateTodoDto } from '../todos/dto/update-todo.dto.js';
import { createValidationPipe, inputProblem } from './validation.js';

class Body {
  @IsString()
  content!: string;
}

/** `levels` arrays nested in one another. */
const nested = (levels: number): unknown =>
  JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('inputProblem', () => {
  it.each([
    ['a string', 'x', 16, undefined],
    ['null', null, 16, undefined],
    ['a flat object', { a: 1 }, 1, undefined],
    ['an object in an object', { a: { b: 1 } }, 1, 'nests deeper than 1 levels'],
    ['arrays 16 deep', nested(16), 16, undefined],
    ['arrays 17 deep', nested(17), 16, 'nests deeper than 16 levels'],
    ['a constructor key', { constructor: 'x' }, 16, 'has a forbidden property name: constructor'],
    [
      'a nested prototype key',
      { a: [{ prototype: {} }] },
      16,
      'has a forbidden property name: prototype',
    ],
    [
      'an own __proto__ key',
      JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
      16,
      'has a forbidden property name: __proto__',
    ],
  ])('%s', (_name, value, maxDepth, expected) => {
    expect(inputProblem(value, maxDepth)).toBe(expected);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(inputProblem(nested(100_000))).toBe('nests deeper than 16 levels');
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

  it('refuses a prototype key in a query with a 400', async () => {
    // As fast-querystring parses `?__proto__=x`: an own key of a prototype-less object.
    const query = Object.defineProperty(Object.create(null) as object, '__proto__', {
      value: 'x',
      enumerable: true,
    });
    await expect(pipe.transform(query, { type: 'query', metatype: Body })).rejects.toThrow(
      'query has a forbidden property name: __proto__',
    );
  });

  it('still validates and transforms ordinary input', async () => {
    await expect(pipe.transform({ content: 'a' }, body)).resolves.toBeInstanceOf(Body);
    await expect(pipe.transform({ content: 1 }, body)).rejects.toThrow(BadRequestException);
  });
});

describe('the body DTOs and null', () => {
  const pipe = createValidationPipe();
  const check = (metatype: new () => object, value: object) =>
    pipe.transform(value, { type: 'body', metatype });

  it.each([
    ['TodoChanges content', UpdateTodoDto, { content: null }],
    ['TodoChanges is_finished', UpdateTodoDto, { is_finished: null }],
    ['NewExport finished', CreateExportDto, { format: 'csv', finished: null }],
    [
      'NewToken expires_in_days',
      CreateTokenDto,
      { name: 'ci', scopes: ['todos:read'], expires_in_days: null },
    ],
  ])('refuses a null %s, which the document does not allow', async (_name, metatype, value) => {
    await expect(check(metatype, value)).rejects.toThrow(BadRequestException);
  });

  it.each([
    ['NewTodo remind_at', CreateTodoDto, { content: 'a', remind_at: null }],
    ['TodoChanges remind_at', UpdateTodoDto, { remind_at: null }],
    ['TodoChanges, every field left out', UpdateTodoDto, {}],
  ])('takes a null or absent %s, as the document says', async (_name, metatype, value) => {
    await expect(check(metatype, value)).resolves.toMatchObject(value);
  });
});
