import { JOB_NAMES, JOBS, jobNamed, OWNED_JOBS } from './job-catalogue.js';

describe('the job catalogue', () => {
  it("marks as an owner's the jobs whose payload names one, never the account deletion's own", () => {
    expect([...OWNED_JOBS].sort()).toEqual(['exports.build', 'reminders.fire']);
    // Its `owner_id` is the account it deletes: removing it would end the deletion.
    expect(OWNED_JOBS).not.toContain('accounts.delete');
  });

  it("dispatches today's and former names on their own queue only", () => {
    for (const name of JOB_NAMES) {
      const { queue, formerNames } = JOBS[name];
      expect(jobNamed(queue, name)).toBe(name);
      for (const former of formerNames) expect(jobNamed(queue, former)).toBe(name);
      const other = JOB_NAMES.find((job) => JOBS[job].queue !== queue);
      if (other) expect(jobNamed(JOBS[other].queue, name)).toBeUndefined();
    }
  });
});
