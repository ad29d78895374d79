import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { OBJECT_ID_PARAM } from './patterns.js';

/**
 * Accepts only the 24-hex form of an ObjectId. Mongoose's own `isValid` also accepts any
 * 12-character string, which would turn `/todos/hello-world!` into a lookup, not a 400.
 */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !OBJECT_ID_PARAM.test(value)) {
      throw new BadRequestException('id must be a 24-character hexadecimal ObjectId');
    }
    return value.toLowerCase();
  }
}
