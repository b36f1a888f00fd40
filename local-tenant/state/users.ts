// User helpers shared by the Management API and the Authentication API's login and password grants.
import { createHash, randomInt } from 'node:crypto';
import type { ApplicationPasswordRecord, TenantState, UserRecord } from './types.js';
import { verifySecret } from './passwords.js';

/** Finds a user of a connection by email or username (case-insensitive email, as Auth0 lowercases emails). */
export function findUserByLogin(
  state: Readonly<TenantState>,
  connection: string,
  login: string,
): UserRecord | undefined {
  const lowered = login.toLowerCase();
  return state.users.find(
    (user) => user.connection === connection && (user.email === lowered || user.username === login),
  );
}

export function checkUserPassword(user: UserRecord, password: string): boolean {
  return user.password_hash !== undefined && verifySecret(password, user.password_hash);
}

/** Auth0 "good" password policy: at least 8 characters and 3 of: lower, upper, digit, special. */
export function passwordMeetsPolicy(password: string, policy: string | undefined): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  switch (policy ?? 'good') {
    case 'none':
      return password.length >= 1;
    case 'low':
      return password.length >= 6;
    case 'fair':
      return (
        password.length >= 8 &&
        /[a-z]/.test(password) &&
        /[A-Z]/.test(password) &&
        /[0-9]/.test(password)
      );
    case 'excellent':
      return password.length >= 10 && classes >= 3 && !/(.)\1\1/.test(password);
    default:
      return password.length >= 8 && classes >= 3;
  }
}

/** ASP values are long random strings, so a fast hash suffices and allows lookup by value. */
export function hashApplicationPassword(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** 16 random lowercase letters, as in the ASP draft (docs/asp.md; ~75 bits). */
export function newApplicationPasswordValue(): string {
  let value = '';
  for (let i = 0; i < 16; i++) value += String.fromCharCode(97 + randomInt(26));
  return value;
}

/** Looks up an application-specific password by its value (for /oauth/introspect). */
export function findApplicationPassword(
  state: Readonly<TenantState>,
  value: string,
): ApplicationPasswordRecord | undefined {
  const hash = hashApplicationPassword(value);
  return state.application_passwords.find((asp) => asp.value_hash === hash);
}
