// What the web server tells the page at /config.json (served by web/server.ts, validated again by the page).
import { z } from 'zod';

export const webConfigSchema = z.object({
  /** Tenant domain without scheme, as auth0-spa-js wants it (the local tenant's is 127.0.0.1:<port>). */
  domain: z.string().min(1),
  /** Client id the target tenant gave the SPA client (looked up by name, never copied by hand). */
  clientId: z.string().min(1),
  audience: z.string().min(1),
  /** Base URL of the banking API, e.g. http://127.0.0.1:3001. */
  apiUrl: z.url(),
});

export type WebConfig = z.infer<typeof webConfigSchema>;
