import { Types } from 'mongoose';

// The per-owner slots of the export limits (see ExportRecord): `run-<n>` while in flight,
// `keep-<n>` until expired, `free-<id>` for a slot given up.

/** What a record writes in a slot it gives up: its own, so the unique index never meets it. */
export const free = (id: Types.ObjectId) => `free-${id.toHexString()}`;

/** The first of `kind`'s `limit` slots none of `taken` holds, if any is free. */
export function freeSlot(
  kind: 'run' | 'keep',
  limit: number,
  taken: Set<string>,
): string | undefined {
  for (let n = 0; n < limit; n++) if (!taken.has(`${kind}-${n}`)) return `${kind}-${n}`;
  return undefined;
}

/** A fresh export id; BullMQ refuses a custom job id that reads as an integer. */
export function newExportId(): Types.ObjectId {
  for (;;) {
    const id = new Types.ObjectId();
    if (!/^\d+$/.test(id.toHexString())) return id;
  }
}
