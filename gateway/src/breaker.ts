import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import { GraphQLError } from 'graphql';

/**
 * One circuit breaker per subgraph (cockatiel: TypeScript-native, no dependencies, a maintained
 * state machine with half-open sampling, so we do not write our own). After `failures`
 * consecutive failures the subgraph's calls fail at once with SUBGRAPH_UNAVAILABLE instead of each
 * waiting out the timeout; after `halfOpenAfterMs` one call is let through as a probe, and its
 * success closes the breaker again.
 *
 * A failure is what says the subgraph cannot answer: a connection error, a timeout (the fetch is
 * aborted) or a 5xx. A GraphQL answer with errors (200, or a 4xx such as a validation error or a
 * refused identity) is the subgraph answering, not a failure.
 */
export interface BreakerSettings {
  failures: number;
  halfOpenAfterMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export function createSubgraphBreaker(settings: BreakerSettings): CircuitBreakerPolicy {
  return circuitBreaker(handleAll.orWhenResult((result) => isFailureStatus((result as Response).status)), {
    halfOpenAfter: settings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.failures),
  });
}

export function isFailureStatus(status: number): boolean {
  return status >= 500;
}

export function breakerState(breaker: CircuitBreakerPolicy): BreakerState {
  switch (breaker.state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    default:
      return 'isolated';
  }
}

/**
 * Runs one subgraph fetch through the breaker. While it is open (or half-open with its probe
 * already out) the call is refused without touching the network.
 */
export async function throughBreaker(breaker: CircuitBreakerPolicy, subgraph: string, call: () => Promise<Response>): Promise<Response> {
  try {
    return await breaker.execute(call);
  } catch (error) {
    if (error instanceof BrokenCircuitError) {
      throw new GraphQLError(`Subgraph ${subgraph} is unavailable (circuit breaker open).`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph, breaker: breakerState(breaker) } });
    }
    throw error;
  }
}
