import { BadRequestException } from '@nestjs/common';
import { ParseObjectIdPipe } from './parse-object-id.pipe.js';

describe('ParseObjectIdPipe', () => {
  const pipe = new ParseObjectIdPipe();

  it('accepts 24 hex digits and lower-cases them', () => {
    expect(pipe.transform('6650F1C2A1B2C3D4E5F60718')).toBe('6650f1c2a1b2c3d4e5f60718');
  });

  // A 12-character string is a valid ObjectId to Mongoose, but never an id this API issued.
  it.each([
    'hello-world!',
    'zzzzzzzzzzzzzzzzzzzzzzzz',
    '6650f1c2a1b2c3d4e5f6071',
    '',
    undefined,
    42,
  ])('refuses %p', (value) => {
    expect(() => pipe.transform(value)).toThrow(BadRequestException);
  });
});
