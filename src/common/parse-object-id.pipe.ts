import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { OBJECT_ID_PATTERN } from './api-path-param.decorator.js';

const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN);

/**
 * Accepts only the 24-hex form of an ObjectId. Mongoose's own `isValid` also accepts any
 * 12-character string, which would turn `/todos/hello-world!` into a lookup, not a 400.
 */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !OBJECT_ID.test(value)) {
      throw new BadRequestException('id must be a 24-character hexadecimal ObjectId');
    }
    return value.toLowerCase();
  }
}
