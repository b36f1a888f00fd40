// Identifier formats as Auth0 issues them (seen in the go-auth0 recordings).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphanumeric[randomInt(alphanumeric.length)];
  return out;
}

export const newIds = {
  resourceServer: () => randomBytes(12).toString('hex'),
  clientId: () => randomAlphanumeric(32),
  clientSecret: () => randomBytes(48).toString('base64url'),
  clientGrant: () => `cgr_${randomAlphanumeric(16)}`,
  credential: () => `cred_${randomAlphanumeric(22)}`,
  connection: () => `con_${randomAlphanumeric(16)}`,
  user: () => `auth0|${randomBytes(12).toString('hex')}`,
  applicationPassword: () => `asp_${randomAlphanumeric(16)}`,
  enrollment: (type: string) => `${type}|dev_${randomAlphanumeric(16)}`,
  uuid: () => randomUUID(),
};
