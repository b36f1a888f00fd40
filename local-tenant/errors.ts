// Auth0's two error shapes: Management API `{statusCode, error, message, errorCode}` and
// Authentication API (OAuth) `{error, error_description}`.
import { STATUS_CODES } from 'node:http';

export interface ManagementErrorOptions {
  headers?: Record<string, string>;
  /** Extra body fields, e.g. `attributes` on 401s. */
  extraBody?: Record<string, unknown>;
}

export class ManagementApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
    readonly options: ManagementErrorOptions = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return {
      statusCode: this.statusCode,
      error: STATUS_CODES[this.statusCode] ?? 'Error',
      message: this.message,
      ...(this.errorCode ? { errorCode: this.errorCode } : {}),
      ...this.options.extraBody,
    };
  }
}

export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(description);
  }

  toBody(): Record<string, unknown> {
    return { error: this.error, error_description: this.message, ...this.extra };
  }
}

export const badRequest = (message: string, errorCode = 'invalid_body') =>
  new ManagementApiError(400, message, errorCode);
export const notFound = (message: string, errorCode?: string) =>
  new ManagementApiError(404, message, errorCode);
export const conflict = (message: string, errorCode?: string) =>
  new ManagementApiError(409, message, errorCode);
