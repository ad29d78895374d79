import { Readable } from 'node:stream';
import { ConflictException, NotFoundException, StreamableFile } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ALICE, BOB, LEGACY } from '../testing/owners.js';
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

/** The data of ALICE's export 42. */
const OF_ALICE: ExportJobData = { format: 'csv', owner_id: ALICE.id };

/**
 * A queue whose export 42 has `data` (`null`: no such job) and is in `state`; `job`, when
 * given, is the job as read again after the state (`null`: gone by then). Each read of the
 * job answers once: a read the download should not make fails the test.
 */
function queueWith(
  state: string,
  job?: { returnvalue: unknown } | null,
  data: ExportJobData | null = OF_ALICE,
) {
  const reads: (Job | null)[] = [data && strictFake<Job>('job', { data })];
  if (job !== undefined) reads.push(job && strictFake<Job>('job', job));
  const members: Partial<Record<keyof ExportQueue, unknown>> = {
    getJob: () => {
      if (reads.length === 0) throw new Error('the export was read once too often');
      return Promise.resolve(reads.shift());
    },
    getJobState: () => Promise.resolve(state),
  };
  return strictFake<ExportQueue>('exports queue', members);
}

describe('ExportsService', () => {
  describe('download', () => {
    it('is a 404 for an unknown export, without reading its state', async () => {
      const queue = queueWith('unknown', undefined, null);
      const service = new ExportsService(queue, strictFake('files'));
      await expect(service.download(ALICE, '42')).rejects.toThrow(NotFoundException);
      expect(queue.calls.map((call) => call.method)).toEqual(['getJob']);
    });

    it('is a 404 for an export gone by the time its state is read', async () => {
      const service = new ExportsService(queueWith('unknown'), strictFake('files'));
      await expect(service.download(ALICE, '42')).rejects.toThrow(NotFoundException);
    });

    it.each(['waiting', 'active', 'delayed', 'failed'])(
      'is a 409 naming the state of a %s export',
      async (state) => {
        const service = new ExportsService(queueWith(state), strictFake('files'));
        const error = await service.download(ALICE, '42').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConflictException);
        expect((error as Error).message).toContain(`(${state})`);
      },
    );

    it('is a 404 when the completed job is gone by the time it is read', async () => {
      const service = new ExportsService(queueWith('completed', null), strictFake('files'));
      await expect(service.download(ALICE, '42')).rejects.toThrow(NotFoundException);
    });

    it('is a 409 for a completed job without a result (retried from the admin board)', async () => {
      const service = new ExportsService(
        queueWith('completed', { returnvalue: null }),
        strictFake('files'),
      );
      await expect(service.download(ALICE, '42')).rejects.toThrow(ConflictException);
    });

    it('is a 404 when the file of a completed export no longer exists', async () => {
      const files = strictFake<ExportFilesService>('files', {
        open: () => Promise.resolve(undefined),
      });
      const service = new ExportsService(queueWith('completed', { returnvalue: RESULT }), files);
      await expect(service.download(ALICE, '42')).rejects.toThrow(NotFoundException);
      expect(files.mocks.open).toHaveBeenCalledWith(RESULT.file_id);
    });

    it('streams the file of a completed export: the owner, then the state, then the job', async () => {
      const stream = Readable.from(['a,b\n']);
      const files = strictFake<ExportFilesService>('files', {
        open: () => Promise.resolve(stream),
      });
      const queue = queueWith('completed', { returnvalue: RESULT });
      const file = await new ExportsService(queue, files).download(ALICE, '42');

      expect(queue.calls).toEqual([
        { method: 'getJob', args: ['42'] },
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

    describe('whose export it is', () => {
      const streaming = () =>
        strictFake<ExportFilesService>('files', {
          open: () => Promise.resolve(Readable.from(['[]'])),
        });

      it.each(['completed', 'active', 'unknown'])(
        "is a 404 like a missing one for another owner's %s export, telling nothing of it",
        async (state) => {
          const queue = queueWith(state, { returnvalue: RESULT });
          const error = await new ExportsService(queue, strictFake('files'))
            .download(BOB, '42')
            .catch((e: unknown) => e);
          expect(error).toEqual(new NotFoundException('export 42 not found'));
          expect(queue.calls.map((call) => call.method)).toEqual(['getJob']);
        },
      );

      it('is a 404 for a job without an owner, unless the owner holds the ownerless', async () => {
        const ownerless: ExportJobData = { format: 'csv' };
        const refused = queueWith('completed', { returnvalue: RESULT }, ownerless);
        await expect(
          new ExportsService(refused, strictFake('files')).download(ALICE, '42'),
        ).rejects.toThrow(NotFoundException);
        expect(refused.calls.map((call) => call.method)).toEqual(['getJob']);

        const held = queueWith('completed', { returnvalue: RESULT }, ownerless);
        const file = await new ExportsService(held, streaming()).download(LEGACY, '42');
        expect(file).toBeInstanceOf(StreamableFile);
      });

      it("is a 404 for another's export even to the owner who holds the ownerless", async () => {
        const queue = queueWith('completed', { returnvalue: RESULT });
        await expect(
          new ExportsService(queue, strictFake('files')).download(LEGACY, '42'),
        ).rejects.toThrow(NotFoundException);
      });
    });
  });

  describe('request', () => {
    const queue = () =>
      strictFake<ExportQueue>('exports queue', {
        name: 'exports',
        add: () => Promise.resolve({ id: '42' }),
      });
    const dataOf = (exports: ReturnType<typeof queue>) => {
      const [[name, data]] = exports.mocks.add.mock.calls as unknown as [[string, unknown]];
      expect(name).toBe(EXPORT_JOB);
      return data;
    };

    it("adds an export job of exactly the format and the owner's id, and answers where to follow it", async () => {
      const exports = queue();
      const accepted = await new ExportsService(exports, strictFake('files')).request(ALICE, {
        format: 'csv',
      });

      expect(dataOf(exports)).toStrictEqual({ format: 'csv', owner_id: ALICE.id });
      expect(accepted).toEqual({
        job_id: '42',
        status_url: '/jobs/exports/42',
        download_url: '/todos/exports/42/download',
      });
    });

    it('passes the finished filter when given, false included', async () => {
      const exports = queue();
      await new ExportsService(exports, strictFake('files')).request(BOB, {
        format: 'json',
        finished: false,
      });
      expect(dataOf(exports)).toStrictEqual({
        format: 'json',
        owner_id: BOB.id,
        finished: false,
      });
    });

    it('marks the job of an owner who holds the ownerless, so it exports those too', async () => {
      const exports = queue();
      await new ExportsService(exports, strictFake('files')).request(LEGACY, { format: 'csv' });
      expect(dataOf(exports)).toStrictEqual({
        format: 'csv',
        owner_id: LEGACY.id,
        holds_ownerless: true,
      });
    });
  });
});
