import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const JOB_ID = /^[\w-]{1,128}$/;

/** Job ids are BullMQ's numbers or our own `name-<id>` forms: anything else is a 400. */
@Injectable()
export class ParseJobIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !JOB_ID.test(value)) {
      throw new BadRequestException('job id must be 1-128 letters, digits, _ or -');
    }
    return value;
  }
}
