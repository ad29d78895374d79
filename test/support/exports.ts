import type { ExportAcceptedDto } from '../../src/exports/dto/create-export.dto.js';
import type { JobViewDto } from '../../src/job-status/job-view.dto.js';
import { send, type ApiResponse } from './api.js';
import { until } from './wait.js';

/** `token` undefined: the default account of the API at `url`. */
export const askExport = (url: string, body: object, token?: string) =>
  send<ExportAcceptedDto>(url, 'POST', '/todos/exports', { json: body, token });

/** Asks for an export and expects it accepted; its id. */
export async function requestExport(url: string, body: object, token?: string): Promise<string> {
  const response = await askExport(url, body, token);
  if (response.status !== 202)
    throw new Error(`export answered ${response.status}: ${response.text}`);
  return response.body.job_id;
}

export const viewExport = async (url: string, id: string, token?: string) =>
  (await send<JobViewDto>(url, 'GET', `/jobs/exports/${id}`, { token })).body;

/** Polls the export's job view until it is completed or failed. */
export const settleExport = (url: string, id: string, token?: string) =>
  until(
    () => viewExport(url, id, token),
    (job) => job.state === 'completed' || job.state === 'failed',
    { timeoutMs: 60_000, intervalMs: 20, message: `export ${id} settling` },
  );

export const downloadExport = <T = unknown>(
  url: string,
  id: string,
  token?: string,
): Promise<ApiResponse<T>> => send<T>(url, 'GET', `/todos/exports/${id}/download`, { token });

/** The account id of a token's owner. */
export const ownerOf = async (url: string, token: string) =>
  (await send<{ id: string }>(url, 'GET', '/me', { token })).body.id;
