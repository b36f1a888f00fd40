import { loadCassettes } from './local-tenant/fidelity/cassettes.js';
const cs = loadCassettes('tests/fixtures/auth0-recordings/go-auth0-v1.45.0');
const seen = new Map<string, Set<string>>();
for (const c of cs) for (const i of c.interactions) {
  const u = new URL(i.request.url); const p = u.pathname.replace('/api/v2', '');
  if (!/^\/connections(\/con_[^/]+)?$/.test(p) || i.response.code >= 300) continue;
  let req: any = {}; try { req = JSON.parse(i.request.body) ?? {}; } catch {}
  let res: any; try { res = JSON.parse(i.response.body); } catch { continue; }
  if (!res || Array.isArray(res) || !res.strategy) continue;
  const extra = Object.keys(res).filter((k) => !(k in req)).sort().join(',');
  const key = `${i.request.method} ${res.strategy}: ${extra}`;
  seen.set(key, (seen.get(key) ?? new Set()).add(c.name.split('/')[0]));
}
for (const [k, v] of [...seen].sort()) console.log(k, '  <-', [...v].join(' '));
