// The hosted login and MFA pages: plain HTML forms with inline CSS, no scripts, no CDN (works offline).
// Forms POST back to /u/* with the transaction id in `state`, like Auth0's Universal Login URLs.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f4f5f7;display:flex;justify-content:center;padding-top:8vh}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 8px #0002;width:22rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1.2rem;width:100%;padding:.6rem;background:#635dff;color:#fff;border:0;border-radius:4px}
.error{color:#b00020}.secret{font-family:monospace;word-break:break-all}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function errorParagraph(error?: string): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
}

export function loginPage({
  state,
  clientName,
  error,
  username,
}: {
  state: string;
  clientName: string;
  error?: string;
  username?: string;
}): string {
  return layout(
    'Log in',
    `<p>to continue to ${escapeHtml(clientName)}</p>${errorParagraph(error)}
<form method="post" action="/u/login?state=${encodeURIComponent(state)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="username">Email address or username</label><input id="username" name="username" autocomplete="username" value="${escapeHtml(username ?? '')}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="action" value="default">Continue</button></form>`,
  );
}

export function mfaChallengePage({ state, error }: { state: string; error?: string }): string {
  return layout(
    'Verify your identity',
    `<p>Enter the one-time code from your authenticator app.</p>${errorParagraph(error)}
<form method="post" action="/u/mfa-otp-challenge?state=${encodeURIComponent(state)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="code">Enter your one-time code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
<button type="submit" name="action" value="default">Continue</button></form>`,
  );
}

export function mfaEnrollmentPage({
  state,
  secret,
  otpauthUri,
  error,
}: {
  state: string;
  secret: string;
  otpauthUri: string;
  error?: string;
}): string {
  return layout(
    'Secure your account',
    `<p>Add this key to your authenticator app, then enter the code it shows.</p>
<p>Secret: <span class="secret" id="otp-secret">${escapeHtml(secret)}</span></p>
<p><a id="otpauth-uri" class="secret" href="${escapeHtml(otpauthUri)}">${escapeHtml(otpauthUri)}</a></p>${errorParagraph(error)}
<form method="post" action="/u/mfa-otp-enrollment?state=${encodeURIComponent(state)}">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="code">Enter your one-time code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
<button type="submit" name="action" value="default">Continue</button></form>`,
  );
}

export function errorPage({ error, description }: { error: string; description: string }): string {
  return layout(
    'Something went wrong',
    `<p class="error" id="error-code">${escapeHtml(error)}</p><p id="error-description">${escapeHtml(description)}</p>`,
  );
}
