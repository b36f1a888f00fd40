// A minimal HTTPS "browser" for the Authentication API tests: real TLS against the tenant's CA, a cookie jar,
// manual redirects (stopping when a redirect leaves the tenant, i.e. reaches the app's callback) and HTML
// form parsing, so login and MFA pages are driven exactly as a user agent submits them.
import { request as httpsRequest } from 'node:https';
import { createHash, randomBytes } from 'node:crypto';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  url: string;
}

export function httpsCall(
  ca: string,
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, ca, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          url,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export class BrowserAgent {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly ca: string,
    private readonly tenantOrigin: string,
  ) {}

  async send(
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string>,
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'user-agent': 'auth-browser-agent' };
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const answer = await httpsCall(this.ca, method, url, {
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const setCookie = answer.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!.trim(), value.join('='));
    }
    return answer;
  }

  /** Follows redirects inside the tenant; returns the last tenant page, or the callback URL the tenant redirected to. */
  async navigate(
    method: 'GET' | 'POST',
    url: string,
    form?: Record<string, string>,
  ): Promise<{ page?: HttpAnswer; callback?: URL }> {
    let answer = await this.send(method, url, form);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = answer.headers.location;
      if (answer.status < 300 || answer.status >= 400 || typeof location !== 'string')
        return { page: answer };
      const next = new URL(location, answer.url);
      if (next.origin !== this.tenantOrigin) return { callback: next };
      answer = await this.send('GET', next.toString());
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  /** Submits the first form on `page` with `values` merged over its hidden fields. */
  async submit(
    page: HttpAnswer,
    values: Record<string, string>,
  ): Promise<{ page?: HttpAnswer; callback?: URL }> {
    const form = parseForm(page.body);
    return this.navigate('POST', new URL(form.action, page.url).toString(), {
      ...form.fields,
      ...values,
    });
  }
}

export function parseForm(html: string): { action: string; fields: Record<string, string> } {
  const formTag = /<form[^>]*action="([^"]*)"/i.exec(html);
  if (!formTag) throw new Error(`No form in page:\n${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(
    /<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi,
  ))
    fields[match[1]!] = decodeEntities(match[2]!);
  return { action: decodeEntities(formTag[1]!), fields };
}

export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
