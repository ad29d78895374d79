import { createServer, type Server } from 'node:http';

export interface WebhookCall {
  todoId: string;
  /** The owner the payload names. */
  ownerId: string | null;
  at: number;
  status: number;
  idempotencyKey: string | undefined;
}

/**
 * A webhook receiver on loopback that answers each todo's calls by a plan (e.g. fail twice,
 * then succeed), recording every call.
 */
export class WebhookReceiver {
  readonly calls: WebhookCall[] = [];
  /** Status codes to answer, per todo id, in order; 200 once the plan is used up. */
  readonly plans = new Map<string, number[]>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { todo_id: todoId, owner_id: ownerId } = JSON.parse(body) as {
          todo_id: string;
          owner_id: string | null;
        };
        const status = this.plans.get(todoId)?.shift() ?? 200;
        this.calls.push({
          todoId,
          ownerId,
          at: Date.now(),
          status,
          idempotencyKey: request.headers['idempotency-key'] as string,
        });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  }

  callsFor(todoId: string): WebhookCall[] {
    return this.calls.filter((call) => call.todoId === todoId);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
