// credentials-exchange Action: runs when a client-credentials token is issued. For partner clients (marked by
// `npm run partner` in client_metadata) it refuses the token while the partner is suspended and otherwise stamps
// the token with the partner's id, so the banking API knows the caller is a partner in good standing. Other
// machine-to-machine clients (the resource server's own client, …) pass through untouched.
import type { OnExecuteCredentialsExchange } from '../types/credentials-exchange.js';
import {
  PARTNER_METADATA,
  TRANSFER_FUNDS_SCOPE,
  STEP_UP_SECRET_NAMES,
  isPartnerMetadata,
  partnerClaimName,
} from '../../lib/banking-api-contract.js';

export const onExecuteCredentialsExchange: OnExecuteCredentialsExchange = async (event, api) => {
  const { client } = event;
  if (!isPartnerMetadata(client.metadata)) return;
  const status = client.metadata[PARTNER_METADATA.status];
  if (status !== 'active') {
    // Auth0 lets a credentials-exchange Action pick only invalid_scope, invalid_request or server_error; a
    // suspension is a refusal of this request, so invalid_request, with the reason for the partner's operator.
    api.access.deny(
      'invalid_request',
      status === 'suspended'
        ? `partner ${client.client_id} is suspended`
        : `partner ${client.client_id} has no valid status`,
    );
    return;
  }
  // Defence in depth: the partner command never grants it, but a hand-edited grant must not let a partner move money.
  if (event.accessToken.scope.includes(TRANSFER_FUNDS_SCOPE)) {
    api.access.deny('invalid_scope', `partners may not hold ${TRANSFER_FUNDS_SCOPE}`);
    return;
  }
  const bankingApi = event.secrets[STEP_UP_SECRET_NAMES.bankingApiIdentifier];
  if (!bankingApi || event.resource_server.identifier !== bankingApi) return;
  api.accessToken.setCustomClaim(partnerClaimName(bankingApi), client.client_id);
};
