import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotAcceptableResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
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
import { ParseJobIdPipe } from '../jobs/parse-job-id.pipe.js';
import { TodoDto } from '../todos/dto/todo.dto.js';
import { CreateExportDto, ExportAcceptedDto } from './dto/create-export.dto.js';
import { ExportsService } from './exports.service.js';

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
  @ApiOperation({ summary: 'Start an export of the todos as a file (a background job)' })
  @Idempotent()
  @BodyTypes('application/json')
  @ApiAcceptedResponse({
    type: ExportAcceptedDto,
    headers: { Location: { description: 'The job status URL' }, ...IDEMPOTENT_REPLAYED_HEADER },
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
  @ApiOperation({ summary: 'Download a finished export (streamed)' })
  @ApiPathParam('id', JOB_ID_PATTERN, 'The export id: `job_id` of the accepted export.')
  // The file's media type is its format's; errors stay JSON, so no operation-wide produces.
  @ApiOkResponse({
    description: 'The file, as an attachment.',
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(TodoDto) } } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Malformed export id.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such export of yours.' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The export is not finished.' })
  @ApiNotAcceptableResponse({
    type: ErrorResponseDto,
    description: "`Accept` refuses the export's format (`text/csv` or `application/json`).",
  })
  download(
    @CurrentOwner() owner: Principal,
    @Param('id', ParseJobIdPipe) id: string,
    @Headers('accept') accept?: string,
  ): Promise<StreamableFile> {
    return this.exports.download(owner, id, accept);
  }
}
