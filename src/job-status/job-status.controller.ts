import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiBearer, CurrentOwner, RequiresScope } from '../auth/access.decorator.js';
import type { Principal } from '../auth/owner.js';
import { ApiPathParam, JOB_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { ParseJobIdPipe } from '../common/parse-job-id.pipe.js';
import { QUEUE_NAMES } from '../queues/queues.constants.js';
import { JobViewDto } from './job-view.dto.js';
import { JobStatusService } from './job-status.service.js';
import { scopeOfQueue } from './queue-scopes.js';

@ApiTags('jobs')
@ApiBearer()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' })
@Controller('jobs')
export class JobStatusController {
  constructor(private readonly jobs: JobStatusService) {}

  @Get(':queue/:id')
  @RequiresScope(
    (request) => scopeOfQueue((request.params as { queue?: string }).queue),
    'the scope of the queue: exports for exports, todos:read for the others',
  )
  @ApiOperation({
    operationId: 'getJob',
    summary: 'State, progress, attempts and result (or failure) of a background job',
  })
  @ApiParam({ name: 'queue', enum: QUEUE_NAMES })
  @ApiPathParam('id', JOB_ID_PATTERN, 'The job id, as the API returned it.')
  @ApiOkResponse({ type: JobViewDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed job id.' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such queue, or no such job of yours.',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'The job queue (Redis) is unavailable.',
  })
  get(
    @CurrentOwner() owner: Principal,
    @Param('queue') queue: string,
    @Param('id', ParseJobIdPipe) id: string,
  ): Promise<JobViewDto> {
    return this.jobs.view(owner, queue, id);
  }
}
