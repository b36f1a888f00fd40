// Assembles the banking API: one Fastify instance wired to the JWKS cache, verifiers, replay store and ledger
// (both in Redis when REDIS_URL is set, so any number of instances share them).
// `createBankingApi` is used in-process by tests and the demo; `startBankingApi` listens on 127.0.0.1.
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { registerAccessLog, requestLogFields } from './access-log.js';
import { createAuthenticator } from './authenticate.js';
import { registerCors } from './cors.js';
import { BasicAuthenticator } from './basic-auth.js';
import type { BankingApiConfig } from './config.js';
import { ApiError, sendApiError } from './errors.js';
import { IntrospectionClient } from './introspection.js';
import { JwksCache } from './jwks.js';
import { createLogDestination } from './log-destination.js';
import { JwtVerifier } from './jwt-verifier.js';
import { MemoryLedger, type Ledger } from './ledger.js';
import { RedisLedger } from './redis-ledger.js';
import { createReplayStore, type ReplayStore } from './replay-store.js';
import { registerRoutes } from './routes.js';

export interface BankingApi {
  app: FastifyInstance;
  /** Stops the server (if listening) and releases the replay store's connection. */
  close(): Promise<void>;
  /** Writes the pending per-caller balance-read summary of the access log now (normally every 10 s). */
  flushAccessLog(): void;
  /** Exposed for tests and diagnostics (e.g. `jwks.fetchCount`). */
  jwks: JwksCache;
  ledger: Ledger;
  replayStore: ReplayStore;
  introspection?: IntrospectionClient;
  basic: BasicAuthenticator;
}

export interface BankingApiOverrides {
  /** Share a replay store between in-process instances, or inject one; default from `config.redisUrl`. */
  replayStore?: ReplayStore;
  /** Share or inject a ledger; default: in Redis when `config.redisUrl` is set, else in memory. */
  ledger?: Ledger;
  jwksCooldownMs?: number;
  /** Verified-token cache entries (default 10,000); 0 disables it (the benchmark's raw-verification row). */
  verifiedTokenCacheCapacity?: number;
  /** Where JSON log lines go (default stdout); tests read them to check no secret is logged. */
  logStream?: NodeJS.WritableStream;
}

export function createBankingApi(
  config: BankingApiConfig,
  overrides: BankingApiOverrides = {},
): BankingApi {
  const logDestination = createLogDestination(overrides.logStream);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      base: { service: 'banking-api' },
      stream: logDestination.stream,
    },
    // access-log.ts writes our own lines (with the caller's id) instead of Fastify's two per request.
    logController: new LogController({ disableRequestLogging: true }),
    // No pino child logger per request (it showed up in bench:api): request.log is the root logger and the
    // access log adds reqId itself.
    childLoggerFactory: (logger) => logger,
    bodyLimit: 16_384,
  });

  const jwks = new JwksCache({
    jwksUrl: `${config.issuerBaseUrl}.well-known/jwks.json`,
    cooldownMs: overrides.jwksCooldownMs,
  });
  const jwtVerifier = new JwtVerifier({
    issuer: config.issuerBaseUrl,
    audience: config.audience,
    jwks,
    clockToleranceSeconds: config.clockToleranceSeconds,
    cacheCapacity: overrides.verifiedTokenCacheCapacity,
  });
  const introspection = config.resourceServerPrivateKey
    ? new IntrospectionClient({
        issuer: config.issuerBaseUrl,
        audience: config.audience,
        privateKey: config.resourceServerPrivateKey,
      })
    : undefined;
  const basic = new BasicAuthenticator({
    issuer: config.issuerBaseUrl,
    audience: config.audience,
    jwtVerifier,
    introspection,
    passwordGrantClientId: config.passwordGrantClientId,
    passwordGrantClientSecret: config.passwordGrantClientSecret,
  });
  const ledger =
    overrides.ledger ?? (config.redisUrl ? new RedisLedger(config.redisUrl) : new MemoryLedger());
  const ownsLedger = !overrides.ledger;
  const replayStore = overrides.replayStore ?? createReplayStore(config.redisUrl);
  const ownsReplayStore = !overrides.replayStore;

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      request.failure = `${error.code}: ${error.description}`;
      if (error.statusCode >= 500)
        request.log.warn({ ...requestLogFields(request), error: error.code }, error.description);
      return sendApiError(reply, error);
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large …
      return sendApiError(reply, new ApiError(status, 'invalid_request', error.message), {
        challenge: false,
      });
    }
    request.log.error({ ...requestLogFields(request), err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'server_error', error_description: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(
      reply,
      new ApiError(
        404,
        'not_found',
        `no route ${request.method} ${requestLogFields(request).path}`,
      ),
    ),
  );
  const accessLog = registerAccessLog(app, config.logLevel);

  registerCors(app, config.corsOrigins);
  registerRoutes(app, {
    authenticator: createAuthenticator({
      jwtVerifier,
      introspection,
      basic,
      maxTokenLength: config.maxTokenLength,
    }),
    ledger,
    replayStore,
    audience: config.audience,
    clockToleranceSeconds: config.clockToleranceSeconds,
  });
  // Warm the key cache so the first request does not pay for the fetch; failures are retried on demand.
  void jwks.refresh().catch(() => undefined);

  return {
    app,
    jwks,
    ledger,
    replayStore,
    introspection,
    basic,
    flushAccessLog: () => accessLog.flush(),
    async close() {
      await app.close();
      if (ownsReplayStore) await replayStore.close();
      if (ownsLedger) await ledger.close();
      accessLog.close();
      logDestination.close();
    },
  };
}

/** Listens on 127.0.0.1 only (no network beyond loopback); port 0 picks a free one. */
export async function startBankingApi(
  config: BankingApiConfig,
  overrides: BankingApiOverrides = {},
): Promise<BankingApi & { url: string }> {
  const api = createBankingApi(config, overrides);
  const address = await api.app.listen({ host: '127.0.0.1', port: config.port });
  return { ...api, url: address };
}
