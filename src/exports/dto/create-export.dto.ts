import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { ExportFormat } from '../export-job.js';

export class CreateExportDto {
  @ApiProperty({ enum: ['json', 'csv'], example: 'csv' })
  @IsIn(['json', 'csv'])
  format!: ExportFormat;

  @ApiPropertyOptional({ description: 'Only finished (`true`) or unfinished (`false`) todos.' })
  @IsOptional()
  @IsBoolean()
  finished?: boolean;
}

export class ExportAcceptedDto {
  @ApiProperty({ example: '42' })
  job_id!: string;

  @ApiProperty({ example: '/jobs/exports/42' })
  status_url!: string;

  @ApiProperty({ example: '/todos/exports/42/download' })
  download_url!: string;
}
