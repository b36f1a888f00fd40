import { loadCassettes } from './local-tenant/fidelity/cassettes.js';
const cs = loadCassettes('tests/fixtures/auth0-recordings/go-auth0-v1.45.0');
const want = process.argv[2]; const re = new RegExp(want);
for (const c of cs) for (const i of c.interactions) {
  const u = new URL(i.request.url);
  const line = `${i.request.method} ${u.pathname.replace('/api/v2','')}`;
  if (!re.test(line)) continue;
  let req: any; try { req = JSON.parse(i.request.body); } catch {}
  let res: any; try { res = JSON.parse(i.response.body); } catch {}
  const ks = (o: any) => o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o).sort().join(',') : JSON.stringify(o)?.slice(0, 80);
  console.log(`${c.name}#${i.id} ${line} ${i.response.code}\n   req: ${ks(req)}\n   res: ${ks(res)}`);
}
