// `require` as an Action sees it on Auth0: Node built-ins, plus the npm packages the Action declares as
// `dependencies` (Auth0 installs exactly those versions). Anything else fails with "Cannot find module", as on
// Auth0. Declared packages are resolved from this repository's node_modules: the local stand-in cannot install
// packages, so a declared version that differs from the installed one fails too, naming both versions.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { isRecord, stringOrUndefined } from '../../lib/guards.js';

export interface ActionDependency {
  name: string;
  version: string;
}

const hostRequire = createRequire(import.meta.url);
const nodeBuiltins = new Set(builtinModules);

/** `ms` for `ms`, `@scope/pkg` for `@scope/pkg/sub/path`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || nodeBuiltins.has(specifier);
}

/** The version in node_modules/<name>/package.json next to where `specifier` resolves. */
function installedVersion(name: string, resolvedPath: string): string | undefined {
  const marker = `node_modules/${name}/`;
  const at = resolvedPath.split('\\').join('/').lastIndexOf(marker);
  if (at === -1) return undefined;
  const packageJson = `${resolvedPath.slice(0, at + marker.length)}package.json`;
  const manifest: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  return isRecord(manifest) ? stringOrUndefined(manifest['version']) : undefined;
}

export function createActionRequire(
  filename: string,
  dependencies: readonly ActionDependency[] = [],
): (specifier: string) => unknown {
  return (specifier: string) => {
    if (isNodeBuiltin(specifier)) return hostRequire(`node:${specifier.replace(/^node:/, '')}`);
    const name = packageNameOf(specifier);
    const declared = dependencies.find((dependency) => dependency.name === name);
    if (!declared) {
      throw new Error(
        `${filename}: Cannot find module '${specifier}' (not a node built-in and not among the Action's dependencies)`,
      );
    }
    const resolved = hostRequire.resolve(specifier);
    const installed = installedVersion(name, resolved);
    // "latest" takes whatever is installed; otherwise the stand-in insists on the exact version Auth0 would install.
    if (declared.version !== 'latest' && installed !== declared.version) {
      throw new Error(
        `${filename}: Cannot find module '${specifier}@${declared.version}' (node_modules has ${installed ?? 'no version of it'})`,
      );
    }
    return hostRequire(resolved);
  };
}
