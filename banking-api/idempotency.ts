// The Idempotency-Key request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"): a client that
// did not get the answer to POST /transfer retries with the same key and gets the original answer, without the
// money moving twice. The header is a Structured Field string (RFC 8941): `Idempotency-Key: "8e03978e-…"`;
// a bare token is accepted too, since many clients send one unquoted.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { invalidRequest } from './errors.js';
import type { IdempotencyClaim, TransferRequest } from './ledger.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Sent on a response that repeats an earlier one instead of applying the request again. */
export const REPLAYED_HEADER = 'idempotent-replayed';
const MAX_KEY_LENGTH = 255;
/** sf-string: printable ASCII except `"` and `\` (we accept no escapes, which keys never need). */
const QUOTED_KEY = /^"([\x20\x21\x23-\x5b\x5d-\x7e]+)"$/;
const BARE_KEY = /^[A-Za-z0-9._~:+/=-]+$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The key from the request, or undefined when the header is absent. Duplicated or malformed headers are 400. */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  // Node joins repeated headers with ", ", which neither form below accepts: two keys are refused.
  const value = (Array.isArray(raw) ? raw.join(', ') : raw).trim();
  const key = QUOTED_KEY.exec(value)?.[1] ?? (BARE_KEY.test(value) ? value : undefined);
  if (key === undefined || key.length > MAX_KEY_LENGTH)
    throw invalidRequest(
      `Idempotency-Key must be one quoted string (or token) of 1-${MAX_KEY_LENGTH} printable characters`,
    );
  return key;
}

/**
 * What the ledger stores: the key's hash (keys may be long; the caller scoping is the ledger's) and a
 * fingerprint of the validated request, so the same key with a different transfer is recognised.
 */
export function idempotencyClaim(key: string, request: TransferRequest): IdempotencyClaim {
  const canonical = JSON.stringify([
    request.from,
    request.to,
    request.amount,
    request.currency,
    request.reference ?? null,
  ]);
  return { key: sha256(key), fingerprint: sha256(canonical) };
}
