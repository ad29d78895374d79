import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { MAX_PATH_PARAM_LENGTH } from '../common/api-path-param.decorator.js';
import { JOB_ID } from '../common/patterns.js';

/** Job ids are BullMQ's numbers or our own `name-<id>` forms: anything else is a 400. */
@Injectable()
export class ParseJobIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || value.length > MAX_PATH_PARAM_LENGTH || !JOB_ID.test(value)) {
      throw new BadRequestException(
        `job id must be 1-${MAX_PATH_PARAM_LENGTH} letters, digits, _ or -`,
      );
    }
    return value;
  }
}
