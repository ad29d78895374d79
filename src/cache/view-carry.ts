import { GENERATION_TTL_MS } from './cache.constants.js';
import { represent, unwrapView, wrap } from './cache-entry.js';
import { newGeneration } from './cache-stamps.js';
import type { RedisCircuit } from './redis-circuit.js';
import { expiryOf, storedForm, storedValue } from './redis-keyv.js';
import type { RedisClient } from '../redis/redis.module.js';

/** A view as a write carries it: its body and the note kept beside it. */
export interface NotedView {
  body: string;
  note: string;
}

/**
 * How an owner's write changes one of the owner's views, told from the view itself: a create
 * puts the new todo on the cached first page instead of dropping it, so the owner's next read
 * is still a hit. The write's other views are dropped as by any write.
 */
export interface ViewCarry {
  view: string;
  /** The view after the write, from the view before it; `undefined` when it cannot tell. */
  next(before: NotedView): NotedView | undefined;
}

/** The keys one carry reads and writes: the epoch's, and the owner's generation, view and note. */
export interface CarryKeys {
  epoch: string;
  generation: string;
  view: string;
  note: string;
}

/**
 * Replaces the owner's generation and, in the same step, stores the carried view and its note
 * under the new one — only while the generation is still the one the view was read under.
 * Another write in between (whose todo the carried view might lack) made it another: then
 * nothing is written here (`carryView` tries again from what that write left).
 * KEYS: generation, view, note. ARGV: the generation as read, the new one, its TTL, the view,
 * the note, their TTL (all in ms).
 */
const CARRY = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[6])
redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6])
return 1`;

/** How often a carry is tried again after another write of the owner's came in between. */
const CARRY_ATTEMPTS = 3;

/**
 * Carries the owner's view across the owner's write; whether it did. Each try is two round
 * trips (one read, one script). A try that another write of the owner's raced is made again
 * from the view as that write left it, which holds its todo and may lack this one: so under
 * an owner's concurrent writes the page stays cached instead of every write dropping it.
 */
export async function carryView(
  client: RedisClient,
  redis: RedisCircuit,
  keys: CarryKeys,
  carry: ViewCarry,
  maxBodyBytes: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < CARRY_ATTEMPTS; attempt++) {
    const outcome = await carryOnce(client, redis, keys, carry, maxBodyBytes);
    if (outcome !== 'raced') return outcome === 'carried';
  }
  return false;
}

/**
 * One try. The carried view keeps the expiry of the view it came from, so every view is
 * still made from the database at least once per CACHE_TTL_SECONDS. The stamp keeps the
 * epoch as read: an epoch replaced meanwhile (a write across owners, a recovery) leaves the
 * carried view under a stamp no one reads, as it should.
 */
async function carryOnce(
  client: RedisClient,
  redis: RedisCircuit,
  keys: CarryKeys,
  carry: ViewCarry,
  maxBodyBytes: number,
): Promise<'carried' | 'raced' | 'not carried'> {
  const raw = await redis.call(client.mGet([keys.epoch, keys.generation, keys.view, keys.note]));
  if (raw === undefined) return 'not carried';
  const [rawEpoch, rawGeneration, rawView, rawNote] = raw;
  const epoch = storedValue(rawEpoch);
  const generation = storedValue(rawGeneration);
  if (epoch === undefined || generation === undefined || !rawGeneration || !rawView) {
    return 'not carried';
  }
  const stamp = `${epoch}.${generation}`;
  const view = unwrapView(storedValue(rawView) ?? '', stamp);
  const note = unwrapView(storedValue(rawNote) ?? '', stamp);
  // The note names the body it was made with: a view and note of two loads never pair.
  if (view === undefined || note?.etag !== view.etag) return 'not carried';

  let next: NotedView | undefined;
  try {
    next = carry.next({ body: view.body, note: note.body });
  } catch {
    return 'not carried'; // an entry the carry cannot read: dropped, as by any write
  }
  const expires = expiryOf(rawView);
  const ttlMs = Math.floor(expires - Date.now());
  if (next === undefined || !(ttlMs > 0) || Buffer.byteLength(next.body) > maxBodyBytes) {
    return 'not carried';
  }
  const fresh = newGeneration();
  const carried = `${epoch}.${fresh}`;
  const made = represent(next.body);
  const applied = await redis.call(
    client.eval(CARRY, {
      keys: [keys.generation, keys.view, keys.note],
      arguments: [
        rawGeneration,
        storedForm(fresh, Date.now() + GENERATION_TTL_MS),
        String(GENERATION_TTL_MS),
        storedForm(wrap(carried, made), expires),
        storedForm(wrap(carried, { etag: made.etag, body: next.note }), expires),
        String(ttlMs),
      ],
    }),
  );
  if (applied === undefined) return 'not carried';
  return applied === 1 ? 'carried' : 'raced';
}
