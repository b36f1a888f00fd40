// The hosted MFA pages: OTP challenge for enrolled users, OTP enrollment (secret + otpauth URI) otherwise.
// Wrong codes count towards the per-user lockout; a code's time step is accepted once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import type { LoginTransaction } from './auth-records.js';
import type { AuthRuntime } from './runtime.js';
import { confirmOtpEnrollment, confirmedOtpEnrollment, findUser } from './login-users.js';
import { mfaChallengePage, mfaEnrollmentPage } from './pages.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp.js';
import type { LoginFlow } from './login-flow.js';
import { sendErrorPage, transactionFrom } from './http-helpers.js';
import { isRecord } from '../../lib/guards.js';

export const OTP_LOCKED_MESSAGE =
  'Too many failed codes. Your authenticator is blocked for 15 minutes.';
export const OTP_INVALID_MESSAGE = 'The code you entered is invalid';

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

function codeFrom(request: FastifyRequest): string {
  const value = isRecord(request.body) ? request.body.code : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

export function mfaRoutes(
  app: FastifyInstance,
  tenant: TenantContext,
  runtime: AuthRuntime,
  flow: LoginFlow,
): void {
  const pending = (
    request: FastifyRequest,
    mode: 'challenge' | 'enroll',
  ): LoginTransaction | undefined => {
    const transaction = transactionFrom(runtime, request);
    return transaction?.mfa?.mode === mode && transaction.userId ? transaction : undefined;
  };
  const noPendingStep = (reply: FastifyReply) =>
    sendErrorPage(
      reply,
      400,
      'invalid_request',
      'No MFA step is pending for this login transaction',
    );

  const enrollmentView = (transaction: LoginTransaction, error?: string) => {
    const user = findUser(tenant, transaction.userId!);
    const secret = (transaction.mfa!.pendingSecret ??= generateTotpSecret());
    const uri = otpauthUri({
      secret,
      accountName: user?.email ?? user?.username ?? transaction.userId!,
      issuer: tenant.domain,
    });
    return mfaEnrollmentPage({
      state: transaction.id,
      secret,
      otpauthUri: uri,
      ...(error ? { error } : {}),
    });
  };

  app.get('/u/mfa-otp-challenge', async (request, reply) => {
    const transaction = pending(request, 'challenge');
    return transaction
      ? html(reply, 200, mfaChallengePage({ state: transaction.id }))
      : noPendingStep(reply);
  });

  app.post('/u/mfa-otp-challenge', async (request, reply) => {
    const transaction = pending(request, 'challenge');
    if (!transaction) return noPendingStep(reply);
    const user = findUser(tenant, transaction.userId!);
    const enrollment = user && confirmedOtpEnrollment(user);
    if (!enrollment?.secret)
      return sendErrorPage(reply, 400, 'invalid_request', 'The user has no OTP enrollment');
    const result = runtime.otpGuard.record(
      transaction.userId!,
      verifyTotp(enrollment.secret, codeFrom(request)),
    );
    if (result === 'locked')
      return html(
        reply,
        429,
        mfaChallengePage({ state: transaction.id, error: OTP_LOCKED_MESSAGE }),
      );
    if (result === 'invalid')
      return html(
        reply,
        400,
        mfaChallengePage({ state: transaction.id, error: OTP_INVALID_MESSAGE }),
      );
    return flow.mfaPassed(transaction, request, reply);
  });

  app.get('/u/mfa-otp-enrollment', async (request, reply) => {
    const transaction = pending(request, 'enroll');
    return transaction ? html(reply, 200, enrollmentView(transaction)) : noPendingStep(reply);
  });

  app.post('/u/mfa-otp-enrollment', async (request, reply) => {
    const transaction = pending(request, 'enroll');
    if (!transaction?.mfa?.pendingSecret) return noPendingStep(reply);
    const result = runtime.otpGuard.record(
      transaction.userId!,
      verifyTotp(transaction.mfa.pendingSecret, codeFrom(request)),
    );
    if (result === 'locked')
      return html(reply, 429, enrollmentView(transaction, OTP_LOCKED_MESSAGE));
    if (result === 'invalid')
      return html(reply, 400, enrollmentView(transaction, OTP_INVALID_MESSAGE));
    confirmOtpEnrollment(tenant, transaction.userId!, transaction.mfa.pendingSecret);
    return flow.mfaPassed(transaction, request, reply);
  });
}
