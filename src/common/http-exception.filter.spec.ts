import { jest } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  Logger,
  NotFoundException,
  type ArgumentsHost,
} from '@nestjs/common';
import {
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  type TopologyDescription,
} from 'mongodb';
import { Error as MongooseError } from 'mongoose';
import { DATABASE_UNAVAILABLE, HttpExceptionFilter } from './http-exception.filter.js';

/** A fake Fastify reply that records what the filter sends. */
function fakeHost() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const reply = {
    sent: false,
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    status(code: number) {
      sent.status = code;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('HttpExceptionFilter', () => {
  const filter = new HttpExceptionFilter();

  it('keeps the shape of Nest exceptions', () => {
    const { host, sent } = fakeHost();
    filter.catch(new BadRequestException(['limit must be an integer']), host);
    expect(sent).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: ['limit must be an integer'] },
    });
  });

  it('adds the status text as `error` to exceptions built from a string', () => {
    const { host, sent } = fakeHost();
    filter.catch(new HttpException('Request body is too large', 413), host);
    expect(sent.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
  });

  it('keeps a custom message of a 404', () => {
    const { host, sent } = fakeHost();
    filter.catch(new NotFoundException('todo x not found'), host);
    expect(sent.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'todo x not found' });
  });

  it('keeps a body of another shape, such as a health report', () => {
    const { host, sent } = fakeHost();
    const report = { status: 'error', error: { redis: { status: 'down' } } };
    filter.catch(new HttpException(report, 503), host);
    expect(sent).toEqual({ status: 503, body: report, headers: { 'Retry-After': '5' } });
  });

  it('logs anything else and answers it with a 500 that reveals nothing', () => {
    const { host, sent } = fakeHost();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    filter.catch(new Error('E11000 duplicate key at mongo://secret-host'), host);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('E11000'));
    expect(sent).toMatchObject({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });

  const noServer = { error: undefined, servers: new Map() } as unknown as TopologyDescription;
  const secret = 'mongo-7.internal:27017';
  const outages: [string, Error][] = [
    [
      'no server could be selected',
      new MongoServerSelectionError(`Server selection timed out at ${secret}`, noServer),
    ],
    ['a dropped connection', new MongoNetworkError(`connection to ${secret} closed`)],
    ['a silent connection', new MongoNetworkTimeoutError(`connection to ${secret} timed out`)],
    ['an operation timeout', new MongoOperationTimeoutError(`timed out at ${secret}`)],
    [
      'a server shutting down',
      new MongoServerError({ code: 11600, errmsg: `interrupted at shutdown ${secret}` }),
    ],
    [
      'the initial connection failing',
      new MongooseError.MongooseServerSelectionError(`could not connect to ${secret}`),
    ],
    [
      'a Mongoose buffering timeout',
      new MongooseError(`Operation \`todos.find()\` buffering timed out after 10000ms ${secret}`),
    ],
    [
      'a write to a socket the server closed, unwrapped by the driver',
      Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }),
    ],
    [
      'an outage wrapped as a cause',
      new Error('stream failed', { cause: new MongoNetworkError(secret) }),
    ],
  ];

  it.each(outages)('answers %s with 503, Retry-After and no driver text', (_name, error) => {
    const { host, sent } = fakeHost();
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    filter.catch(error, host);
    expect(sent).toEqual({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { statusCode: 503, error: 'Service Unavailable', message: DATABASE_UNAVAILABLE },
    });
    expect(JSON.stringify(sent.body)).not.toContain(secret);
    expect(warned).toHaveBeenCalledWith(expect.stringContaining(secret));
  });

  it('keeps other driver errors, such as a duplicate key, a 500', () => {
    const { host, sent } = fakeHost();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    filter.catch(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key' }), host);
    expect(sent.status).toBe(500);
    expect(sent.headers).toEqual({});
  });
});
