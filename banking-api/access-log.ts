// Access log. Every refused request, every transfer and every other route gets its own JSON line (caller, status,
// refusal reason). Successful GET /balance — the hot, harmless path — is counted per caller and summarised every
// 10 s instead, at info level: a line per read cost more CPU than the whole rest of a cached request (bench:api).
// At debug/trace every request gets its own line.
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SUMMARY_INTERVAL_MS = 10_000;

/** Never log a query string: clients sometimes put tokens there (we do not read them, but logs would keep them). */
export function requestLogFields(request: FastifyRequest) {
  const url = request.url;
  const queryStart = url.indexOf('?');
  return {
    reqId: request.id,
    method: request.method,
    path: queryStart === -1 ? url : url.slice(0, queryStart),
  };
}

export interface AccessLog {
  /** Writes the pending balance-read summary. */
  flush(): void;
  close(): void;
}

export function registerAccessLog(app: FastifyInstance, level: string): AccessLog {
  if (!['info', 'debug', 'trace'].includes(level))
    return { flush: () => undefined, close: () => undefined };
  const everyRequest = level !== 'info';
  const balanceReads = new Map<string, number>();
  const partners = new Set<string>();

  app.addHook('onResponse', (request, reply, done) => {
    const caller = request.auth?.principal.callerId;
    if (
      !everyRequest &&
      caller !== undefined &&
      reply.statusCode === 200 &&
      request.method === 'GET' &&
      request.routeOptions.url === '/balance'
    ) {
      balanceReads.set(caller, (balanceReads.get(caller) ?? 0) + 1);
      if (request.auth?.principal.partnerId) partners.add(caller);
      return done();
    }
    const fields = {
      ...requestLogFields(request),
      status: reply.statusCode,
      caller,
      // The partner-id claim of a partner's token (the credentials-exchange Action sets it).
      partner: request.auth?.principal.partnerId,
      failure: request.failure ?? undefined,
      ms: Math.round(reply.elapsedTime),
    };
    request.log.info(fields, 'request');
    done();
  });

  const flush = () => {
    for (const [caller, reads] of balanceReads)
      app.log.info(
        {
          caller,
          ...(partners.has(caller) ? { partner: caller } : {}),
          path: '/balance',
          status: 200,
          reads,
        },
        'balance reads',
      );
    balanceReads.clear();
    partners.clear();
  };
  const timer = setInterval(flush, SUMMARY_INTERVAL_MS);
  timer.unref();
  return {
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
