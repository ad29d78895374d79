import { PickType } from '@nestjs/swagger';
import { ListTodosQueryDto } from './list-todos-query.dto.js';

/** The original service's `GET /todo?start=`: an offset, pages of 10. */
export class LegacyListQueryDto extends PickType(ListTodosQueryDto, ['start'] as const) {}
