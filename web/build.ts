// Bundles the banking page into web/dist (git-ignored): app.js (auth0-spa-js included, no CDN) plus the static
// HTML and CSS. Run by `npm run web` before serving, or alone with `npx tsx web/build.ts`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const webDir = import.meta.dirname;
export const distDir = join(webDir, 'dist');

export async function buildWeb(): Promise<string> {
  mkdirSync(distDir, { recursive: true });
  await build({
    entryPoints: [join(webDir, 'src', 'main.ts')],
    outfile: join(distDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css'])
    copyFileSync(join(webDir, file), join(distDir, file));
  return distDir;
}

if (process.argv[1] === import.meta.filename) {
  await buildWeb();
  console.log(`web: built ${distDir}`);
}
