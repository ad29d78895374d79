/** The export job: its name on the exports queue, its payload and its result. */
export const EXPORT_JOB = 'export';

export type ExportFormat = 'json' | 'csv';

export interface ExportJobData {
  format: ExportFormat;
  /** Whose todos; absent on jobs from before accounts, which only LEGACY_OWNER sees. */
  owner_id?: string;
  /** The owner is LEGACY_OWNER's account: the export holds the ownerless todos too. */
  holds_ownerless?: boolean;
  /** Only finished (true) or unfinished (false) todos; all when absent. */
  finished?: boolean;
}

export interface ExportJobResult {
  file_id: string;
  filename: string;
  content_type: string;
  count: number;
  bytes: number;
  /** ISO-8601: the file is deleted then, and its download answers 410. */
  expires_at: string;
}

/** Retry-After of a refused export (the owner's running limit): about one small export's time. */
export const EXPORT_RETRY_AFTER_SECONDS = 10;
