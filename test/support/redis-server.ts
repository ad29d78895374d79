import { createClient } from '@keyv/redis';
import { freePort } from './process.js';
import { PrivateServer } from './private-server.js';

/** A redis-server of the test's own, with AOF like production. */
export class PrivateRedis extends PrivateServer {
  private constructor(
    port: number,
    private readonly extraArgs: readonly string[],
  ) {
    super(port);
  }

  /** `args` go on the command line after the defaults: `['--maxmemory', '4mb']`. */
  static async start(args: readonly string[] = []): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), args);
    await redis.restart();
    return redis;
  }

  /** As the cache's own Redis runs in production: evicting under a maxmemory, no AOF. */
  static startEvicting(maxmemory: string): Promise<PrivateRedis> {
    return PrivateRedis.start([
      ...['--appendonly', 'no', '--maxmemory', maxmemory],
      ...['--maxmemory-policy', 'allkeys-lru'],
    ]);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A connected node-redis client of the test's (close it with `close()`). */
  async client() {
    const client = createClient({ url: this.url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  protected command(): [string, string[]] {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    return ['redis-server', [...args, '--save', '', '--appendonly', 'yes', ...this.extraArgs]];
  }

  protected override answers(): Promise<boolean> {
    return this.probe('PING\r\n', '+PONG');
  }
}
