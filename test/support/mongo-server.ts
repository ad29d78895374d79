import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/** `mongod` when installed, else the FerretDB that `scripts/stores.sh` builds. */
function serverCommand(port: number, dir: string): [string, string[]] {
  const ferretdb = join(process.env.DATA_DIR ?? '.data', 'bin', 'ferretdb');
  if (existsSync(ferretdb)) return [ferretdb, ['-listen', `127.0.0.1:${port}`, '-data', dir]];
  return ['mongod', ['--bind_ip', '127.0.0.1', '--port', String(port), '--dbpath', dir]];
}

/**
 * A MongoDB-compatible server of the test's own, on its own port, for tests that kill or
 * freeze it; its data stays in a temporary folder across restarts.
 */
export class PrivateMongo {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'todo-mongo-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateMongo> {
    const mongo = new PrivateMongo(await freePort());
    await mongo.restart();
    return mongo;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  async restart(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    const [command, args] = serverCommand(this.port, this.dir);
    this.process = spawn(command, args, { stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    while (!(await this.accepts())) {
      if (Date.now() > deadline) throw new Error(`${command} on ${this.port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  private accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new Socket();
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('error', () => done(false));
      socket.connect(this.port, '127.0.0.1', () => done(true));
    });
  }
}
