import { Readable } from 'node:stream';
import { ConflictException, NotFoundException, StreamableFile } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { strictFake } from '../testing/strict-fake.js';
import type { ExportFilesService } from './export-files.service.js';
import { EXPORT_JOB, type ExportJobData, type ExportJobResult } from './export-job.js';
import { ExportsService } from './exports.service.js';

type ExportQueue = Queue<ExportJobData, ExportJobResult>;

const RESULT: ExportJobResult = {
  file_id: 'export-42',
  filename: 'todos-42.csv',
  content_type: 'text/csv; charset=utf-8',
  count: 3,
  bytes: 120,
};

/** A queue whose export 42 is in `state`, its job (if any) returning `returnvalue`. */
function queueWith(state: string, job?: { returnvalue: unknown } | null) {
  const members: Partial<Record<keyof ExportQueue, unknown>> = {
    getJobState: () => Promise.resolve(state),
  };
  // Only a state that lets the download go on may lead to the job being read.
  if (job !== undefined) {
    members.getJob = () => Promise.resolve(job && strictFake<Job>('job', job));
  }
  return strictFake<ExportQueue>('exports queue', members);
}

describe('ExportsService', () => {
  describe('download', () => {
    it('is a 404 for an unknown export', async () => {
      const service = new ExportsService(queueWith('unknown'), strictFake('files'));
      await expect(service.download('42')).rejects.toThrow(NotFoundException);
    });

    it.each(['waiting', 'active', 'delayed', 'failed'])(
      'is a 409 naming the state of a %s export',
      async (state) => {
        const service = new ExportsService(queueWith(state), strictFake('files'));
        const error = await service.download('42').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConflictException);
        expect((error as Error).message).toContain(`(${state})`);
      },
    );

    it('is a 404 when the completed job is gone by the time it is read', async () => {
      const service = new ExportsService(queueWith('completed', null), strictFake('files'));
      await expect(service.download('42')).rejects.toThrow(NotFoundException);
    });

    it('is a 409 for a completed job without a result (retried from the admin board)', async () => {
      const service = new ExportsService(
        queueWith('completed', { returnvalue: null }),
        strictFake('files'),
      );
      await expect(service.download('42')).rejects.toThrow(ConflictException);
    });

    it('is a 404 when the file of a completed export no longer exists', async () => {
      const files = strictFake<ExportFilesService>('files', {
        open: () => Promise.resolve(undefined),
      });
      const service = new ExportsService(queueWith('completed', { returnvalue: RESULT }), files);
      await expect(service.download('42')).rejects.toThrow(NotFoundException);
      expect(files.mocks.open).toHaveBeenCalledWith(RESULT.file_id);
    });

    it('streams the file of a completed export, reading the state before the job', async () => {
      const stream = Readable.from(['a,b\n']);
      const files = strictFake<ExportFilesService>('files', {
        open: () => Promise.resolve(stream),
      });
      const queue = queueWith('completed', { returnvalue: RESULT });
      const file = await new ExportsService(queue, files).download('42');

      expect(queue.calls).toEqual([
        { method: 'getJobState', args: ['42'] },
        { method: 'getJob', args: ['42'] },
      ]);
      expect(file).toBeInstanceOf(StreamableFile);
      expect(file.getStream()).toBe(stream);
      expect(file.getHeaders()).toEqual({
        type: RESULT.content_type,
        disposition: `attachment; filename="${RESULT.filename}"`,
        length: RESULT.bytes,
      });
    });
  });

  describe('request', () => {
    const queue = () =>
      strictFake<ExportQueue>('exports queue', {
        name: 'exports',
        add: () => Promise.resolve({ id: '42' }),
      });

    it('adds an export job of exactly the format, and answers where to follow it', async () => {
      const exports = queue();
      const accepted = await new ExportsService(exports, strictFake('files')).request({
        format: 'csv',
      });

      const [[name, data]] = exports.mocks.add.mock.calls as unknown as [[string, unknown]];
      expect(name).toBe(EXPORT_JOB);
      expect(data).toStrictEqual({ format: 'csv' });
      expect(accepted).toEqual({
        job_id: '42',
        status_url: '/jobs/exports/42',
        download_url: '/todos/exports/42/download',
      });
    });

    it('passes the finished filter when given, false included', async () => {
      const exports = queue();
      await new ExportsService(exports, strictFake('files')).request({
        format: 'json',
        finished: false,
      });
      const [[, data]] = exports.mocks.add.mock.calls as unknown as [[string, unknown]];
      expect(data).toStrictEqual({ format: 'json', finished: false });
    });
  });
});
