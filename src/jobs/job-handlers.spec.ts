import { type Job, UnrecoverableError } from 'bullmq';
import type { JobResult } from './job-catalogue.js';
import { dispatcher, findHandlers, handlerMap, JobHandlersError } from './job-handlers.js';
import { OnJob } from './on-job.decorator.js';

const SWEEP: JobResult<'maintenance.run'> = {
  deleted: 0,
  sessions_deleted: 0,
  exports: { expired: 0, abandoned: 0, stray_files: 0, records_deleted: 0 },
};

class Exports {
  readonly runs: string[] = [];
  @OnJob('exports.build')
  build(job: Job) {
    this.runs.push(String(job.id));
    return Promise.resolve({
      file_id: 'f',
      filename: 'todos.json',
      content_type: 'application/json',
      count: 0,
      bytes: 0,
      expires_at: 'then',
    });
  }
}
class Reminders {
  @OnJob('reminders.fire')
  fire() {
    return Promise.reject(new Error('webhook answered 500'));
  }
}
class Maintenance {
  @OnJob('maintenance.run')
  run() {
    return Promise.resolve(SWEEP);
  }
}
class Accounts {
  @OnJob('accounts.delete')
  remove() {
    return Promise.resolve({ todos: 1, export_files: 0, jobs: 0, credentials: 2 });
  }
}
class AlsoAccounts {
  @OnJob('accounts.delete')
  again() {
    return Promise.resolve({ todos: 0, export_files: 0, jobs: 0, credentials: 0 });
  }
}

const job = (name: string, id = '1') => ({ name, id }) as Job;
const all = () => [new Exports(), new Reminders(), new Maintenance(), new Accounts()];

describe('job handlers', () => {
  it('dispatches a job to the handler of its name, bound to its provider', async () => {
    const providers = all();
    const run = dispatcher('exports', handlerMap(findHandlers([...providers, 'a value', null])));
    await expect(run(job('exports.build', '7'))).resolves.toMatchObject({ file_id: 'f' });
    expect((providers[0] as Exports).runs).toEqual(['7']);
  });

  it('dispatches a job added under its former name (jobs already in Redis)', async () => {
    const handlers = handlerMap(findHandlers(all()));
    await expect(dispatcher('maintenance', handlers)(job('purge-finished'))).resolves.toBe(SWEEP);
    await expect(dispatcher('exports', handlers)(job('export'))).resolves.toMatchObject({
      count: 0,
    });
  });

  it('fails a job of an unknown name for good, without retries', async () => {
    const handlers = handlerMap(findHandlers(all()));
    await expect(dispatcher('exports', handlers)(job('nope'))).rejects.toThrow(UnrecoverableError);
    // A catalogued name on another queue than its own is unknown there.
    await expect(dispatcher('exports', handlers)(job('remind'))).rejects.toThrow(
      UnrecoverableError,
    );
  });

  it("leaves a handler's failure to BullMQ's attempts: the error is the handler's", async () => {
    const handlers = handlerMap(findHandlers(all()));
    const failure = dispatcher('reminders', handlers)(job('reminders.fire'));
    await expect(failure).rejects.toThrow('webhook answered 500');
    await expect(failure).rejects.not.toBeInstanceOf(UnrecoverableError);
  });

  it('refuses a catalogued name without a handler, naming it', () => {
    const found = findHandlers([new Exports(), new Reminders(), new Maintenance()]);
    expect(() => handlerMap(found)).toThrow(
      new JobHandlersError("job handlers: no @OnJob('accounts.delete') handler"),
    );
  });

  it('refuses a name with two handlers, naming both', () => {
    expect(() => handlerMap(findHandlers([...all(), new AlsoAccounts()]))).toThrow(
      new JobHandlersError(
        "job handlers: 2 @OnJob('accounts.delete') handlers (Accounts.remove, AlsoAccounts.again)",
      ),
    );
  });

  it('counts a provider instance once, however many modules list it', () => {
    const accounts = new Accounts();
    expect(() =>
      handlerMap(
        findHandlers([new Exports(), new Reminders(), new Maintenance(), accounts, accounts]),
      ),
    ).not.toThrow();
  });
});
