// Human output of the partner command. Secrets appear only in the create/rotate-secret messages, once.
import type { Partner } from './partner-clients.js';

export function formatPartnerTable(partners: readonly Partner[], domain: string): string {
  if (partners.length === 0)
    return `No partners on ${domain} (npm run partner -- create --name <name>).\n`;
  const header = ['NAME', 'CLIENT ID', 'SCOPES', 'CREATED', 'STATUS', 'AUTH'];
  const rows = partners.map((partner) => [
    partner.name,
    partner.client_id,
    partner.scopes.join(' ') || '(no grant)',
    partner.created_at ?? '-',
    partner.status,
    partner.authentication,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd() + '\n';
  return `Partners on ${domain} (secrets are never shown after creation):\n${line(header)}${rows.map(line).join('')}`;
}

export function formatPartner(partner: Partner): string {
  return (
    `${partner.name} (${partner.client_id})\n` +
    `  status:         ${partner.status}\n` +
    `  scopes:         ${partner.scopes.join(' ') || '(no grant on the API)'} on ${partner.audience}\n` +
    `  authentication: ${partner.authentication}\n` +
    `  created:        ${partner.created_at ?? '-'}\n`
  );
}

export const secretWarning =
  'WARNING: this is the only time the secret is shown; the tenant will not show it again. Hand it to the partner\n' +
  'over a secure channel now. Lost it? npm run partner -- rotate-secret <client_id>.\n';
