// Every rule `npm run check` runs, by area. A rule id is stable: waivers and SARIF results refer to it.
import type { Rule } from '../types.js';
import { actionRules } from './actions.js';
import { apiRules } from './apis.js';
import { attackProtectionRules } from './attack-protection.js';
import { clientRules } from './clients.js';
import { databaseRules } from './databases.js';
import { mfaRules } from './mfa.js';
import { stepUpRules } from './step-up.js';
import { tenantRules } from './tenant.js';

export const rules: readonly Rule[] = [
  ...stepUpRules,
  ...clientRules,
  ...apiRules,
  ...tenantRules,
  ...mfaRules,
  ...databaseRules,
  ...attackProtectionRules,
  ...actionRules,
];

const duplicate = rules.find(
  (rule, index) => rules.findIndex((other) => other.id === rule.id) !== index,
);
if (duplicate) throw new Error(`check rules: duplicate rule id ${duplicate.id}`);
