import { startApi, type TestApi } from './support/api.js';

const auth = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('job dashboard (e2e)', () => {
  describe('with admin credentials configured', () => {
    let api: TestApi;
    const good = auth('admin', 'correct-horse-battery');

    beforeAll(async () => {
      api = await startApi('todo_e2e_admin', {
        ADMIN_USER: 'admin',
        ADMIN_PASSWORD: 'correct-horse-battery',
      });
    });
    afterAll(async () => {
      await api.close();
    });

    it.each([
      '/admin/queues',
      '/admin/queues?x=1',
      '/admin/%71ueues',
      '/admin/queues/api/queues',
      '/admin/queues/api/queues?activeQueue=exports',
    ])('refuses %s without credentials', async (path) => {
      const response = await api.request('GET', path);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    });

    it('refuses wrong credentials', async () => {
      for (const headers of [
        auth('admin', 'wrong'),
        auth('root', 'correct-horse-battery'),
        { authorization: 'Bearer x' },
      ]) {
        expect((await api.request('GET', '/admin/queues/api/queues', { headers })).status).toBe(
          401,
        );
      }
    });

    it('serves the board and its queues with the right credentials', async () => {
      const page = await api.request('GET', '/admin/queues', { headers: good });
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      const queues = await api.request<{ queues: { name: string }[] }>(
        'GET',
        '/admin/queues/api/queues',
        {
          headers: good,
        },
      );
      expect(queues.body.queues.map((q) => q.name).sort()).toEqual([
        'accounts',
        'exports',
        'maintenance',
        'reminders',
      ]);
    });

    it('leaves the rest of the API open', async () => {
      expect((await api.request('GET', '/todos')).status).toBe(200);
    });
  });

  describe('without admin credentials', () => {
    it('does not mount the board at all', async () => {
      const api = await startApi('todo_e2e_admin_off', { ADMIN_USER: '', ADMIN_PASSWORD: '' });
      try {
        expect((await api.request('GET', '/admin/queues')).status).toBe(404);
        expect((await api.request('GET', '/admin/queues/api/queues')).status).toBe(404);
      } finally {
        await api.close();
      }
    });
  });
});
