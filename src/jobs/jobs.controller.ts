import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { QUEUE_NAMES } from '../queues/queues.constants.js';
import { JobViewDto } from './job-view.dto.js';
import { JobsService } from './jobs.service.js';
import { ParseJobIdPipe } from './parse-job-id.pipe.js';

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':queue/:id')
  @ApiOperation({
    summary: 'State, progress, attempts and result (or failure) of a background job',
  })
  @ApiParam({ name: 'queue', enum: QUEUE_NAMES })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such queue or job.' })
  get(@Param('queue') queue: string, @Param('id', ParseJobIdPipe) id: string): Promise<JobViewDto> {
    return this.jobs.view(queue, id);
  }
}
