import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validation.js';
import type { ExportFormat } from '../../jobs/job-catalogue.js';

@ApiSchema({ name: 'NewExport' })
export class CreateExportDto {
  @ApiProperty({ enum: ['json', 'csv'], example: 'csv' })
  @IsIn(['json', 'csv'])
  format!: ExportFormat;

  @ApiPropertyOptional({ description: 'Only finished (`true`) or unfinished (`false`) todos.' })
  @IsOmittable()
  @IsBoolean()
  finished?: boolean;
}

@ApiSchema({ name: 'ExportAccepted' })
export class ExportAcceptedDto {
  @ApiProperty({ example: '42' })
  job_id!: string;

  @ApiProperty({ example: '/jobs/exports/42' })
  status_url!: string;

  @ApiProperty({ example: '/todos/exports/42/download' })
  download_url!: string;
}
