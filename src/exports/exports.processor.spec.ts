import type { Job } from 'bullmq';
import { loadConfig } from '../config/configuration.js';
import { strictFake } from '../testing/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import type { ExportJobData, ExportJobResult } from './export-job.js';
import { ExportsProcessor } from './exports.processor.js';

const RESULT: ExportJobResult = {
  file_id: 'export-7',
  filename: 'todos-7.json',
  content_type: 'application/json; charset=utf-8',
  count: 2,
  bytes: 80,
};

describe('ExportsProcessor', () => {
  it('writes the file of the job and reports its progress on the job', async () => {
    const data: ExportJobData = { format: 'json', finished: true };
    const files = strictFake<ExportFilesService>('files', {
      write: async (
        _id: string,
        _data: ExportJobData,
        onProgress: (p: number) => Promise<void>,
      ) => {
        await onProgress(50);
        await onProgress(100);
        return RESULT;
      },
    });
    const job = strictFake<Job<ExportJobData, ExportJobResult>>('job', {
      id: '7',
      data,
      updateProgress: () => Promise.resolve(),
    });

    const result = await new ExportsProcessor(files, loadConfig({})).process(job);

    expect(result).toBe(RESULT);
    expect(files.mocks.write).toHaveBeenCalledWith('7', data, expect.any(Function));
    expect(job.calls).toEqual([
      { method: 'updateProgress', args: [50] },
      { method: 'updateProgress', args: [100] },
    ]);
  });
});
