import type { OperationMetrics } from './operation-limits.ts';
import type { Identity, IdentitySigner } from '@portal/auth';

/** The gateway's per-request context: who is calling, and their identity token per subgraph. */
export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /**
   * The operation's computed cost (operation-limits.ts), set before any subgraph is called; 0 until
   * then. For charging to a per-account budget.
   */
  operationCost: number;
  /** Every figure the limits were checked against, for logs and budgets. */
  operationMetrics?: OperationMetrics;
  /** The signed identity for one subgraph (audience), signed once per request and audience. */
  identityTokenFor(audience: string): Promise<string>;
}

export function createGatewayContext(identity: Identity, signer: IdentitySigner): GatewayContext {
  const tokens = new Map<string, Promise<string>>();
  return {
    identity,
    requestId: identity.requestId,
    operationCost: 0,
    identityTokenFor(audience) {
      let token = tokens.get(audience);
      if (!token) {
        token = signer.sign(identity, audience);
        tokens.set(audience, token);
      }
      return token;
    },
  };
}
