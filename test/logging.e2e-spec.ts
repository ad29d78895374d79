import { bearer } from './support/auth.js';
import { spawnApi } from './support/spawned-api.js';
import { sleep } from './support/wait.js';

interface Line {
  level: number;
  msg: string;
  req_id?: string;
  url?: string;
  status?: number;
}

describe('structured logs (e2e)', () => {
  it('writes JSON lines with the request id, no bodies, and no probe or scrape lines', async () => {
    const spawned = await spawnApi('todo_e2e_logging', { LOG_LEVEL: 'info' });
    const { process: api, url: base } = spawned;
    const auth = bearer(spawned.token);
    try {
      const given = await fetch(`${base}/todos`, {
        headers: { ...auth, 'x-request-id': 'client-chosen-42' },
      });
      const made = await fetch(`${base}/todos`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'a body that must not be logged' }),
      });
      const forged = await fetch(`${base}/todos`, {
        headers: { ...auth, 'x-request-id': 'bad id with spaces' },
      });
      await fetch(`${base}/health/live`);
      await fetch(`${base}/health/ready`);
      await fetch(`${base}/metrics`);
      await sleep(300);

      expect(given.headers.get('x-request-id')).toBe('client-chosen-42');
      const madeId = made.headers.get('x-request-id') ?? '';
      const forgedId = forged.headers.get('x-request-id') ?? '';
      expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(forgedId).toMatch(/^[0-9a-f-]{36}$/);

      const lines = api
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Line);
      // The account's registration and login, made as the process started, come first.
      const requests = lines.filter(
        (line) => line.msg === 'request completed' && !line.url?.startsWith('/auth/'),
      );
      expect(requests.map((line) => [line.req_id, line.url, line.status])).toEqual([
        ['client-chosen-42', '/todos', 200],
        [madeId, '/todos', 201],
        [forgedId, '/todos', 200],
      ]);
      expect(api.output()).not.toContain('must not be logged');
      expect(lines.some((line) => line.url?.startsWith('/health') || line.url === '/metrics')).toBe(
        false,
      );
    } finally {
      await spawned.stop();
    }
  });
});
