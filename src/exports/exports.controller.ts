import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiBearer, CurrentOwner, RequiresScope } from '../auth/access.decorator.js';
import type { Principal } from '../auth/owner.js';
import { ApiPathParam, JOB_ID_PATTERN } from '../common/api-path-param.decorator.js';
import { ErrorResponseDto } from '../common/error-response.dto.js';
import { BodyTypes } from '../http/body-types.guard.js';
import { Idempotent, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotent.decorator.js';
import { ParseJobIdPipe } from '../common/parse-job-id.pipe.js';
import { CreateExportDto, ExportAcceptedDto } from './dto/create-export.dto.js';
import { ExportsService } from './exports.service.js';
import { locationHeader } from '../http/response-headers.js';
import { TodoDto } from '../todos/dto/todo.dto.js';

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
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: 'As many of your exports wait or run as `EXPORT_MAX_RUNNING` allows.',
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'As many of your exports are kept as `EXPORT_MAX_KEPT` allows: one must expire first.',
  })
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
  @ApiExtraModels(TodoDto)
  @RequiresScope('exports')
  @ApiOperation({ operationId: 'downloadExport', summary: 'Download a finished export (streamed)' })
  @ApiPathParam('id', JOB_ID_PATTERN, 'The export id: `job_id` of the accepted export.')
  // The file's media type is its format's; errors stay JSON, so no operation-wide produces.
  // A CSV file is bytes to a client; a JSON one is what it is, an array of todos, so a client
  // (or a fuzzer) checking the body against the document finds what was sent.
  @ApiOkResponse({
    description:
      'The file, as an attachment: `text/csv`, or `application/json` (an array of todos), as the export was requested. `Accept` does not choose between them.',
    content: {
      'text/csv': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(TodoDto) } } },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed export id.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such export of yours.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The export is not finished.' })
  @ApiGoneResponse({
    type: ErrorResponseDto,
    description: 'The export is past its lifetime (`EXPORT_TTL_HOURS`): its file is deleted.',
  })
  download(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseJobIdPipe) id: string,
  ): Promise<StreamableFile> {
    return this.exports.download(owner, id);
  }
}
