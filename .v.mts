import { loadCassettes } from './local-tenant/fidelity/cassettes.js';
const cs = loadCassettes('tests/fixtures/auth0-recordings/go-auth0-v1.45.0');
const re = new RegExp(process.argv[2]); const max = Number(process.argv[3] ?? 600);
for (const c of cs.filter((c) => re.test(c.name))) {
  console.log(`=== ${c.name}`);
  for (const i of c.interactions) {
    console.log(`#${i.id} ${i.request.method} ${i.request.url.replace('https://go-auth0-dev.eu.auth0.com', '')} -> ${i.response.code}`);
    if (i.request.body.trim()) console.log(`  > ${i.request.body.trim().slice(0, max)}`);
    if (i.response.body.trim()) console.log(`  < ${i.response.body.trim().slice(0, max)}`);
  }
}
