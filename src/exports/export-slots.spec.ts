import { freeSlot, newExportId } from './export-slots.js';

describe('export slots', () => {
  it('picks the first slot of the kind that none holds, none past the limit', () => {
    expect(freeSlot('run', 3, new Set())).toBe('run-0');
    expect(freeSlot('run', 3, new Set(['run-0', 'keep-1', 'free-x']))).toBe('run-1');
    expect(freeSlot('keep', 2, new Set(['keep-1']))).toBe('keep-0');
    expect(freeSlot('run', 2, new Set(['run-0', 'run-1', 'run-2']))).toBeUndefined();
  });

  it('makes ids BullMQ takes as custom job ids (never all digits)', () => {
    for (let i = 0; i < 1_000; i++) expect(newExportId().toHexString()).toMatch(/[a-f]/);
  });
});
