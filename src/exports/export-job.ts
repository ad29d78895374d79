/** The export job: its name on the exports queue, its payload and its result. */
export const EXPORT_JOB = 'export';

export type ExportFormat = 'json' | 'csv';

export interface ExportJobData {
  format: ExportFormat;
  /** Only finished (true) or unfinished (false) todos; all when absent. */
  finished?: boolean;
}

export interface ExportJobResult {
  file_id: string;
  filename: string;
  content_type: string;
  count: number;
  bytes: number;
}
