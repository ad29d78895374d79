import { freePort } from './process.js';
import { PrivateServer } from './private-server.js';

/** A redis-server of the test's own, with AOF like production. */
export class PrivateRedis extends PrivateServer {
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected command(): [string, string[]] {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    return ['redis-server', [...args, '--save', '', '--appendonly', 'yes']];
  }

  protected override answers(): Promise<boolean> {
    return this.probe('PING\r\n', '+PONG');
  }
}
