// Which email addresses may open an account: a bank does not onboard customers on throwaway mailboxes, since the
// email is a recovery channel and a fraud signal. Pure, so the tests pin it down without an Action around it.

/** Disposable-mailbox domains refused out of the box (the BLOCKED_EMAIL_DOMAINS secret adds more). */
export const DISPOSABLE_EMAIL_DOMAINS: readonly string[] = [
  'mailinator.com',
  'guerrillamail.com',
  '10minutemail.com',
  'tempmail.com',
  'temp-mail.org',
  'yopmail.com',
  'trashmail.com',
  'sharklasers.com',
  'getnada.com',
  'dispostable.com',
];

export type EmailVerdict =
  | { allowed: true; domain: string }
  | { allowed: false; why: 'missing' | 'malformed' }
  | { allowed: false; why: 'blocked'; domain: string };

/** Comma-separated domains from a secret; spaces, case and leading `@` ignored. */
export function parseDomainList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((domain) => normaliseDomain(domain.trim().replace(/^@/, '')))
    .filter((domain) => domain !== '');
}

function normaliseDomain(domain: string): string {
  return domain.toLowerCase().replace(/\.+$/, '');
}

/** A domain is blocked when it, or any parent domain of it, is on the list (`eu.mailinator.com` too). */
export function emailVerdict(
  email: string | undefined,
  blocked: readonly string[] = DISPOSABLE_EMAIL_DOMAINS,
): EmailVerdict {
  if (email === undefined || email.trim() === '') return { allowed: false, why: 'missing' };
  const at = email.lastIndexOf('@');
  const domain = normaliseDomain(email.slice(at + 1).trim());
  if (at < 1 || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))
    return { allowed: false, why: 'malformed' };
  const labels = domain.split('.');
  for (let start = 0; start < labels.length - 1; start++) {
    if (blocked.includes(labels.slice(start).join('.')))
      return { allowed: false, why: 'blocked', domain };
  }
  return { allowed: true, domain };
}
