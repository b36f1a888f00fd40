// Captures the status and Auth0 error body of a ManagementClient call that must fail.
import { ManagementError } from 'auth0';

export interface CapturedFailure {
  statusCode: number;
  body: Record<string, unknown>;
}

export async function captureFailure(call: Promise<unknown>): Promise<CapturedFailure> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ManagementError)
      return { statusCode: error.statusCode ?? 0, body: error.body as Record<string, unknown> };
    throw error;
  }
  throw new Error('expected the Management API call to fail, but it succeeded');
}
