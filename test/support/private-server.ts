import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './wait.js';

/**
 * A data store of the test's own, on its own port and in its own temporary folder, for tests
 * that kill, freeze or restart it without touching the shared one other tests use.
 */
export abstract class PrivateServer {
  private process?: ChildProcess;
  protected readonly dir = mkdtempSync(join(tmpdir(), 'todo-store-'));

  protected constructor(readonly port: number) {}

  /** The command line that starts the server on `port` with its data in `dir`. */
  protected abstract command(): [string, string[]];

  /** Whether the server answers; by default, whether it accepts a connection. */
  protected answers(): Promise<boolean> {
    return this.probe();
  }

  /** Starts it, or again after `kill()` on the same port and data (a no-op while it runs). */
  async restart(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    const [command, args] = this.command();
    this.process = spawn(command, args, { stdio: 'ignore' });
    await until(() => this.answers(), Boolean, {
      timeoutMs: 20_000,
      intervalMs: 50,
      message: `${command} on ${this.port} starting`,
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT'); // a frozen process must run to die
    child.kill('SIGKILL');
    await exited;
  }

  /** Connects; optionally sends `send` and checks that the first reply starts with `expect`. */
  protected probe(send?: string, expect?: string): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new Socket();
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('error', () => done(false));
      socket.connect(this.port, '127.0.0.1', () => (send ? socket.write(send) : done(true)));
      socket.once('data', (data) =>
        done(expect === undefined || data.toString().startsWith(expect)),
      );
    });
  }
}
