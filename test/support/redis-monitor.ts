import { createClient } from '@keyv/redis';

export interface SetsSeen {
  /** The keys, in order, of the `SET`s Redis ran since the watch began (one per `SET`). */
  keys: string[];
  stop(): void;
}

/**
 * Watches, through MONITOR, which keys containing `part` the processes sharing `REDIS_URL`
 * set: what a request takes in Redis, seen from outside the service.
 */
export async function watchSets(part: string): Promise<SetsSeen> {
  const client = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await client.connect();
  const keys: string[] = [];
  await client.monitor((line) => {
    const set = /"set" "([^"]*)"/i.exec(String(line));
    if (set && set[1].includes(part)) keys.push(set[1]);
  });
  return { keys, stop: () => client.destroy() };
}
