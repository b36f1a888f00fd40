// Small request/response helpers shared by the Authentication API's routes and hosted pages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginTransaction } from './auth-records.js';
import type { AuthRuntime } from './runtime.js';
import { errorPage } from './pages.js';
import { isRecord } from '../../lib/guards.js';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function formParam(request: FastifyRequest, name: string): string | undefined {
  const fromBody = isRecord(request.body) ? request.body[name] : undefined;
  const fromQuery = isRecord(request.query) ? request.query[name] : undefined;
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

/** A form or JSON body as string parameters (arrays collapsed to their first value). */
export function bodyParams(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') params[key] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') params[key] = String(first);
  }
  return params;
}
