import { jest } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  Logger,
  NotFoundException,
  type ArgumentsHost,
} from '@nestjs/common';
import { HttpExceptionFilter } from './http-exception.filter.js';

/** A fake Fastify reply that records what the filter sends. */
function fakeHost() {
  const sent: { status?: number; body?: unknown } = {};
  const reply = {
    sent: false,
    header: () => reply,
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
    expect(sent).toEqual({
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
    expect(sent).toEqual({ status: 503, body: report });
  });

  it('logs anything else and answers it with a 500 that reveals nothing', () => {
    const { host, sent } = fakeHost();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    filter.catch(new Error('E11000 duplicate key at mongo://secret-host'), host);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('E11000'));
    expect(sent).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
