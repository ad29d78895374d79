import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './process.js';
import { PrivateServer } from './private-server.js';

/** A MongoDB-compatible server of the test's own: the FerretDB `npm test` builds, else mongod. */
export class PrivateMongo extends PrivateServer {
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
      return [ferretdb, ['-listen', `127.0.0.1:${this.port}`, '-data', this.dir]];
    return [
      'mongod',
      ['--bind_ip', '127.0.0.1', '--port', String(this.port), '--dbpath', this.dir],
    ];
  }
}
