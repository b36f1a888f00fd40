// Small request/response helpers shared by the hosted pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginTransaction } from './auth-records.js';
import type { AuthRuntime } from './login-pipeline.js';
import { errorPage } from './pages.js';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function formParam(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody = body?.[name];
  const fromQuery = (request.query as Record<string, unknown>)[name];
  const value = fromBody ?? fromQuery;
  return typeof value === 'string' ? value : undefined;
}

export function transactionFrom(
  runtime: AuthRuntime,
  request: FastifyRequest,
): LoginTransaction | undefined {
  const id = formParam(request, 'state');
  return id ? runtime.records.transactions.get(id, runtime.records.time()) : undefined;
}

export function sendErrorPage(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(errorPage({ error, description }));
}
