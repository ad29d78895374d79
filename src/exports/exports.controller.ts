import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiBearer, CurrentOwner, RequiresScope } from '../auth/access.decorator.js';
import type { Principal } from '../auth/owner.js';
import { ApiPathParam, JOB_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { BodyTypes } from '../http/body-types.guard.js';
import { Idempotent, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotent.decorator.js';
import { ParseJobIdPipe } from '../jobs/parse-job-id.pipe.js';
import { CreateExportDto, ExportAcceptedDto } from './dto/create-export.dto.js';
import { ExportsService } from './exports.service.js';
import { locationHeader } from '../openapi/response-headers.js';

@ApiTags('exports')
@ApiBearer()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid bearer token.' })
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description: 'The job queue (Redis) is unavailable.',
})
@Controller('todos/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @RequiresScope('exports')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'createExport',
    summary: 'Start an export of the todos as a file (a background job)',
  })
  @Idempotent()
  @BodyTypes('application/json')
  @ApiAcceptedResponse({
    type: ExportAcceptedDto,
    headers: {
      ...locationHeader("The export job's status.", '/jobs/exports/42'),
      ...IDEMPOTENT_REPLAYED_HEADER,
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 64 KiB.' })
  async create(
    @CurrentOwner() owner: Principal,
    @Body() body: CreateExportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExportAcceptedDto> {
    const accepted = await this.exports.request(owner, body);
    void reply.header('Location', accepted.status_url);
    return accepted;
  }

  @Get(':id/download')
  @RequiresScope('exports')
  @ApiOperation({ operationId: 'downloadExport', summary: 'Download a finished export (streamed)' })
  @ApiPathParam('id', JOB_ID_PATTERN, 'The export id: `job_id` of the accepted export.')
  // The file's media type is its format's; errors stay JSON, so no operation-wide produces.
  // Both are binary to a client: it saves the bytes, whichever the file is.
  @ApiOkResponse({
    description:
      'The file, as an attachment: `text/csv`, or `application/json` (an array of todos), as the export was requested. `Accept` does not choose between them.',
    content: {
      'text/csv': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed export id.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such export of yours.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The export is not finished.' })
  download(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseJobIdPipe) id: string,
  ): Promise<StreamableFile> {
    return this.exports.download(owner, id);
  }
}
