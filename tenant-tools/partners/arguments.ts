// Checks of the partner command's values, before any request: names, scopes a partner may hold, the public key.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  PARTNER_ALLOWED_SCOPES,
  TRANSFER_FUNDS_SCOPE,
  VIEW_BALANCE_SCOPE,
} from '../../lib/banking-api-contract.js';
import { closestName } from '../../lib/closest-name.js';
import { errorCode, errorMessage } from '../../lib/guards.js';
import { UsageError } from '../errors.js';

export const DEFAULT_PARTNER_SCOPES: readonly string[] = [VIEW_BALANCE_SCOPE];

/** Auth0 refuses client names with < or > and longer than 128 characters (name is the plan's key too). */
export function checkPartnerName(raw: string | undefined): string {
  const name = raw?.trim();
  if (!name) throw new UsageError('missing --name');
  if (name.length > 128) throw new UsageError(`--name is ${name.length} characters; at most 128`);
  if (/[<>]/.test(name)) throw new UsageError('--name may not contain < or >');
  return name;
}

/** `--scopes "view:balance"` (spaces or commas): only scopes a partner may hold, never transfer:funds. */
export function parsePartnerScopes(raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_PARTNER_SCOPES];
  const scopes = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
  if (scopes.length === 0) throw new UsageError('--scopes is empty');
  for (const scope of scopes) {
    if (scope === TRANSFER_FUNDS_SCOPE)
      throw new UsageError(
        `partners may never hold ${TRANSFER_FUNDS_SCOPE}: moving money needs a person's fresh MFA (allowed: ${PARTNER_ALLOWED_SCOPES.join(', ')})`,
      );
    if (!PARTNER_ALLOWED_SCOPES.includes(scope)) {
      const guess = closestName(scope, PARTNER_ALLOWED_SCOPES);
      throw new UsageError(
        `--scopes: "${scope}" is not a scope partners may hold${guess ? ` (did you mean ${guess}?)` : ''} (allowed: ${PARTNER_ALLOWED_SCOPES.join(', ')})`,
      );
    }
  }
  return scopes;
}

/** Reads an RSA public key in PEM (SPKI); a private key or a certificate is refused with the reason. */
export function readPublicKey(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--public-key ${path}: ${errorCode(error) === 'ENOENT' ? 'no such file' : errorMessage(error)}`,
    );
  }
  if (pem.includes('PRIVATE KEY'))
    throw new UsageError(
      `--public-key ${path} holds a PRIVATE key: give the partner's public key only (the private key never leaves the partner)`,
    );
  if (!pem.includes('-----BEGIN PUBLIC KEY-----'))
    throw new UsageError(`--public-key ${path}: expected a PEM "BEGIN PUBLIC KEY" block`);
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch (error) {
    throw new UsageError(`--public-key ${path}: not a valid public key (${errorMessage(error)})`);
  }
  if (type !== 'rsa')
    throw new UsageError(
      `--public-key ${path}: a ${type} key; Auth0's private_key_jwt here needs RSA (RS256)`,
    );
  return pem.trim() + '\n';
}
