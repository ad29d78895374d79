import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './process.js';
import { PrivateServer } from './private-server.js';

/**
 * A MongoDB-compatible server of the test's own: the FerretDB `npm test` builds, on a
 * PostgreSQL database of its own in the private cluster (with EMBEDDED_DB=sqlite, on SQLite
 * files in its folder), else mongod. Killing or freezing it touches no other test's data.
 */
export class PrivateMongo extends PrivateServer {
  private backend?: string[];

  static async start(): Promise<PrivateMongo> {
    const mongo = new PrivateMongo(await freePort());
    await mongo.restart();
    return mongo;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  protected command(): [string, string[]] {
    const ferretdb = join(process.env.DATA_DIR ?? '.data', 'bin', 'ferretdb');
    if (existsSync(ferretdb))
      return [ferretdb, ['-listen', `127.0.0.1:${this.port}`, ...this.store()]];
    return [
      'mongod',
      ['--bind_ip', '127.0.0.1', '--port', String(this.port), '--dbpath', this.dir],
    ];
  }

  /** FerretDB's backend flags, made once: a restart keeps the same data. */
  private store(): string[] {
    if (this.backend) return this.backend;
    const url = execFileSync(
      'bash',
      ['scripts/stores.sh', '--fresh-pg-database', `test_${this.port}`],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ).trim();
    this.backend = url
      ? ['-handler', 'postgresql', '-postgresql-url', url]
      : ['-handler', 'sqlite', '-data', this.dir];
    return this.backend;
  }
}
