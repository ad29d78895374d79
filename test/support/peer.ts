import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, runCommand, type RunningProcess } from './process.js';

const VENV = resolve('.data/peer-test-venv');
const APP_DIR = resolve('test/peer-flask');

export interface Peer {
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * Serves the original Flask service (`test/peer-flask`) on `database` of the MongoDB server
 * the tests use, its own Redis cache off (it never invalidated it, and the tests compare
 * what it reads). `npm test` installs its virtualenv first.
 */
export async function startPeer(database: string): Promise<Peer> {
  const gunicorn = `${VENV}/bin/gunicorn`;
  if (!existsSync(gunicorn))
    throw new Error(`${gunicorn} is missing: run \`npm test\`, which installs it`);
  const server = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017');
  server.pathname = '/';
  const port = await freePort();
  const peer = runCommand(
    [
      gunicorn,
      '--workers',
      '2',
      '--bind',
      `127.0.0.1:${port}`,
      '--access-logfile',
      '/dev/null',
      'app:app',
    ],
    {
      PATH: process.env.PATH,
      MONGODB_URI: server.toString(),
      MONGODB_DB: database,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
      PEER_CACHE: '0',
    },
    APP_DIR,
  );
  const url = `http://127.0.0.1:${port}`;
  await peer.waitForHttp(`${url}/todo`, 30_000);
  return {
    url,
    process: peer,
    async stop() {
      peer.child.kill('SIGTERM');
      await peer.exited;
    },
  };
}
