// Tenant tools from seed 003: App Specific Passwords and token introspection against the deploy's target tenant.
export { runAspCommand, aspUsage } from './asp-command.js';
export { runIntrospectCommand, introspectUsage } from './introspect-command.js';
export {
  processOutput,
  EXIT_OK,
  EXIT_FAILED,
  EXIT_USAGE,
  type CommandEnvironment,
  type Output,
} from './cli.js';
export {
  createApplicationPassword,
  listApplicationPasswords,
  deleteApplicationPassword,
  resolveUser,
  type ApplicationPasswordSummary,
  type CreatedApplicationPassword,
} from './application-passwords.js';
export { introspectToken, formatIntrospection, type IntrospectionAnswer } from './introspection.js';
export { signClientAssertion, CLIENT_ASSERTION_TYPE } from './client-assertion.js';
export { loadResourceServerPrivateKey } from './resource-server-key.js';
export { openTenant, type ToolTenant } from './tenant.js';
export { ToolError, UsageError } from './errors.js';
