// Logs in the way the banking SPA does — authorization code + PKCE (S256) through the tenant's hosted login and
// MFA pages — but from Node: it follows redirects, keeps cookies and fills the HTML forms like a browser would.
// Password grant + mfa-otp would be shorter, but the step-up Action (rightly) never grants transfer:funds to
// flows that cannot show an MFA prompt, so only the interactive flow demonstrates the real thing.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseJson, sendRequest, type HttpResponse } from '../../lib/https-request.js';

export interface HostedLoginOptions {
  /** Tenant domain without scheme. */
  domain: string;
  caCertPem?: string;
  clientId: string;
  /** One of the client's allowed callbacks; the code is read from the redirect to it, nothing is served there. */
  redirectUri: string;
  audience: string;
  scope: string;
  username: string;
  password: string;
  /** The current one-time code for an enrolled TOTP secret (RFC 6238). */
  totpCode(secret: string): Promise<string>;
  /** The user's TOTP secret, when already enrolled; set after an enrollment page. */
  totpSecret?: string;
  /** e.g. the multi-factor policy, to make the tenant ask for MFA (and enroll a factor) whatever the Actions say. */
  acrValues?: string;
  /** Cookies of an earlier login (the tenant's session), shared like a browser would. */
  cookies?: Map<string, string>;
}

/** One page or redirect the login went through, for the narration. */
export interface LoginHop {
  kind:
    'redirect' | 'login-page' | 'mfa-enrollment-page' | 'mfa-challenge-page' | 'callback' | 'token';
  request: string;
  status: number;
}

export interface HostedLoginResult {
  accessToken: string;
  idToken?: string;
  scope?: string;
  hops: LoginHop[];
  /** Set when the login enrolled a TOTP factor. */
  totpSecret?: string;
  cookies: Map<string, string>;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  id_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string(),
});

const MAX_HOPS = 20;

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries(
    [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name!, decodeHtml(value!)]),
  );
}

interface HtmlForm {
  action: string;
  fields: Record<string, string>;
}

/** The first POST form of a hosted page with its hidden and pre-filled fields. */
export function parseForm(html: string): HtmlForm | undefined {
  const formTag = /<form\b[^>]*>/i.exec(html)?.[0];
  if (!formTag) return undefined;
  const form = attributes(formTag);
  if ((form['method'] ?? 'get').toLowerCase() !== 'post' || !form['action']) return undefined;
  const fields: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/gi)) {
    const input = attributes(tag);
    if (input['name']) fields[input['name']] = input['value'] ?? '';
  }
  return { action: form['action'], fields };
}

function pageError(html: string): string | undefined {
  const match =
    /class="error"[^>]*>([^<]*)</.exec(html) ?? /id="error-description"[^>]*>([^<]*)</.exec(html);
  return match ? decodeHtml(match[1]!) : undefined;
}

function storeCookies(response: HttpResponse, jar: Map<string, string>): void {
  const header = response.headers['set-cookie'] ?? [];
  for (const cookie of header) {
    const [pair = '', ...attributesOfCookie] = cookie.split(';');
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    const expired = attributesOfCookie.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(separator + 1).trim());
  }
}

function cookieHeader(jar: Map<string, string>): Record<string, string> {
  return jar.size === 0
    ? {}
    : { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
}

export async function loginThroughHostedPages(
  options: HostedLoginOptions,
): Promise<HostedLoginResult> {
  const base = `https://${options.domain}`;
  const tls = options.caCertPem ? { caCertPem: options.caCertPem } : {};
  const jar = options.cookies ?? new Map<string, string>();
  const hops: LoginHop[] = [];
  let totpSecret = options.totpSecret;
  let enrolledSecret: string | undefined;

  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));
  const authorize = new URL('/authorize', base);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    audience: options.audience,
    scope: options.scope,
    state,
    nonce,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...(options.acrValues ? { acr_values: options.acrValues } : {}),
  }).toString();

  let next: { url: URL; method: 'GET' | 'POST'; body?: string } = { url: authorize, method: 'GET' };
  let code: string | undefined;
  for (let hop = 0; hop < MAX_HOPS && code === undefined; hop++) {
    const response = await sendRequest(next.url, {
      method: next.method,
      headers: {
        accept: 'text/html',
        ...cookieHeader(jar),
        ...(next.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(next.body !== undefined ? { body: next.body } : {}),
      ...tls,
    });
    storeCookies(response, jar);
    const request = `${next.method} ${next.url.origin}${next.url.pathname}`;

    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, next.url);
      if (target.href.startsWith(options.redirectUri)) {
        hops.push({ kind: 'callback', request, status: response.status });
        const params = target.searchParams;
        if (params.get('state') !== state)
          throw new Error(`callback state mismatch (got ${params.get('state') ?? 'none'})`);
        const error = params.get('error');
        if (error)
          throw new Error(
            `login failed at the tenant: ${error}: ${params.get('error_description') ?? ''}`,
          );
        code = params.get('code') ?? undefined;
        if (!code) throw new Error('callback without a code');
        break;
      }
      hops.push({ kind: 'redirect', request, status: response.status });
      next = { url: target, method: 'GET' };
      continue;
    }
    if (response.status !== 200) {
      throw new Error(
        `${request}: HTTP ${response.status}: ${pageError(response.text) ?? response.text.slice(0, 300)}`,
      );
    }
    const form = parseForm(response.text);
    if (!form)
      throw new Error(
        `${request}: a page without a form: ${pageError(response.text) ?? response.text.slice(0, 300)}`,
      );
    const action = new URL(form.action, next.url);
    const fields = { ...form.fields };
    if ('password' in fields) {
      hops.push({ kind: 'login-page', request, status: response.status });
      fields['username'] = options.username;
      fields['password'] = options.password;
    } else if ('code' in fields) {
      const enrollmentSecret = /id="otp-secret"[^>]*>([A-Z2-7]+)</.exec(response.text)?.[1];
      if (enrollmentSecret) {
        hops.push({ kind: 'mfa-enrollment-page', request, status: response.status });
        totpSecret = enrollmentSecret;
        enrolledSecret = enrollmentSecret;
      } else {
        hops.push({ kind: 'mfa-challenge-page', request, status: response.status });
      }
      if (!totpSecret)
        throw new Error(
          `${request}: MFA challenge, but no TOTP secret is enrolled for ${options.username}`,
        );
      const error = pageError(response.text);
      if (error && hops.filter((item) => item.kind.startsWith('mfa')).length > 1)
        throw new Error(`${request}: ${error}`);
      fields['code'] = await options.totpCode(totpSecret);
    } else {
      throw new Error(
        `${request}: unexpected form posting to ${action.pathname}: ${pageError(response.text) ?? ''}`,
      );
    }
    if (hops.filter((item) => item.kind === 'login-page').length > 1) {
      throw new Error(
        `${request}: login page shown again: ${pageError(response.text) ?? 'wrong username or password?'}`,
      );
    }
    next = { url: action, method: 'POST', body: new URLSearchParams(fields).toString() };
  }
  if (code === undefined)
    throw new Error(`login did not reach ${options.redirectUri} within ${MAX_HOPS} hops`);

  const tokenUrl = `${base}/oauth/token`;
  const response = await sendRequest(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: options.clientId,
      code,
      code_verifier: verifier,
      redirect_uri: options.redirectUri,
    }).toString(),
    ...tls,
  });
  hops.push({ kind: 'token', request: `POST ${tokenUrl}`, status: response.status });
  if (response.status !== 200)
    throw new Error(`POST ${tokenUrl}: HTTP ${response.status} ${response.text.slice(0, 300)}`);
  const tokens = tokenResponseSchema.parse(parseJson(response, `POST ${tokenUrl}`));
  return {
    accessToken: tokens.access_token,
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    hops,
    ...(enrolledSecret ? { totpSecret: enrolledSecret } : {}),
    cookies: jar,
  };
}
