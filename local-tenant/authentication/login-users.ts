// First factor: username/password against a database connection enabled for the client, and the user's MFA
// enrollment state (stored on the user record so the Management API reports it).
import type { TenantContext } from '../context.js';
import { checkUserPassword, findUserByLogin } from '../state/users.js';
import type {
  ConnectionRecord,
  JsonObject,
  MfaEnrollmentRecord,
  UserRecord,
} from '../state/types.js';
import { randomToken } from './auth-records.js';

export function databaseConnectionsFor(
  tenant: TenantContext,
  clientId: string,
): ConnectionRecord[] {
  return tenant.store.snapshot.connections.filter(
    (connection) =>
      connection.strategy === 'auth0' && connection.enabled_clients.includes(clientId),
  );
}

export type PasswordCheck =
  | { ok: true; user: UserRecord; connection: ConnectionRecord }
  | { ok: false; reason: 'wrong_credentials' | 'blocked' | 'no_connection' };

/** `realm` (password-realm grant) names the connection; otherwise every database connection enabled for the client. */
export function checkPassword(
  tenant: TenantContext,
  input: { clientId: string; username: string; password: string; realm?: string },
): PasswordCheck {
  const connections = databaseConnectionsFor(tenant, input.clientId).filter(
    (connection) => !input.realm || connection.name === input.realm,
  );
  if (connections.length === 0) return { ok: false, reason: 'no_connection' };
  for (const connection of connections) {
    const user = findUserByLogin(tenant.store.snapshot, connection.name, input.username.trim());
    if (!user || !checkUserPassword(user, input.password)) continue;
    if (user.blocked) return { ok: false, reason: 'blocked' };
    return { ok: true, user, connection };
  }
  return { ok: false, reason: 'wrong_credentials' };
}

export function findUser(tenant: TenantContext, userId: string): UserRecord | undefined {
  return tenant.store.snapshot.users.find((user) => user.user_id === userId);
}

export function findConnection(tenant: TenantContext, name: string): ConnectionRecord | undefined {
  return tenant.store.snapshot.connections.find((connection) => connection.name === name);
}

export function confirmedOtpEnrollment(user: UserRecord): MfaEnrollmentRecord | undefined {
  return user.mfa_enrollments.find(
    (enrollment) =>
      enrollment.type === 'otp' && enrollment.status === 'confirmed' && !!enrollment.secret,
  );
}

export function isOtpFactorEnabled(tenant: TenantContext): boolean {
  return tenant.store.snapshot.guardian.factors.otp?.enabled === true;
}

export function markLogin(tenant: TenantContext, userId: string): void {
  tenant.store.mutate((state) => {
    const user = state.users.find((candidate) => candidate.user_id === userId);
    if (!user) return;
    user.logins_count += 1;
    user.last_login = new Date().toISOString();
  });
}

export function confirmOtpEnrollment(tenant: TenantContext, userId: string, secret: string): void {
  tenant.store.mutate((state) => {
    const user = state.users.find((candidate) => candidate.user_id === userId);
    if (!user) throw new Error(`User ${userId} disappeared during MFA enrollment`);
    const now = new Date().toISOString();
    user.mfa_enrollments = user.mfa_enrollments.filter((enrollment) => enrollment.type !== 'otp');
    user.mfa_enrollments.push({
      id: `totp|dev_${randomToken(12)}`,
      type: 'otp',
      status: 'confirmed',
      name: 'Authenticator app',
      secret,
      created_at: now,
      confirmed_at: now,
    });
  });
}

/** api.user.setAppMetadata / setUserMetadata: Auth0 writes them once, when the trigger has completed. */
export function persistMetadataChanges(
  tenant: TenantContext,
  userId: string,
  changes: { appMetadata: JsonObject; userMetadata: JsonObject },
): void {
  if (
    Object.keys(changes.appMetadata).length === 0 &&
    Object.keys(changes.userMetadata).length === 0
  )
    return;
  tenant.store.mutate((state) => {
    const user = state.users.find((candidate) => candidate.user_id === userId);
    if (!user) return;
    Object.assign(user.app_metadata, changes.appMetadata);
    Object.assign(user.user_metadata, changes.userMetadata);
    user.updated_at = new Date().toISOString();
  });
}
