// Small helper so every Management API route declares its scope next to its path.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TenantContext } from '../context.js';
import { authenticateManagementCall, requireScope, type ManagementCaller } from './auth.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Params = Record<string, string>;
export type Query = Record<string, unknown>;

export interface RouteInput {
  params: Params;
  query: Query;
  body: unknown;
  caller: ManagementCaller;
  reply: FastifyReply;
}

export type ManagementRoute = (
  method: Method,
  url: string,
  scope: string | string[],
  handler: (input: RouteInput) => unknown,
) => void;

export function managementRouter(app: FastifyInstance, tenant: TenantContext): ManagementRoute {
  return (method, url, scope, handler) => {
    app.route<{ Params: Params; Querystring: Query }>({
      method,
      url,
      handler: async (request, reply) => {
        const caller = await authenticateManagementCall(tenant, request);
        requireScope(caller, scope);
        const result = await handler({
          params: request.params,
          query: request.query ?? {},
          body: request.body,
          caller,
          reply,
        });
        // undefined = no body (204/202 answers).
        return result === undefined ? reply.send() : result;
      },
    });
  };
}

/** T without `undefined` in its values: what withoutUndefined leaves. */
export type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Removes keys whose value is undefined so responses match Auth0's (absent rather than null) fields. */
export function withoutUndefined<T extends Record<string, unknown>>(value: T): Defined<T> {
  // cast: the same object minus keys whose value is undefined, which T's optional keys allow.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}
