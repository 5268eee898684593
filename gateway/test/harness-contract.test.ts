import { expect, it } from 'vitest';
import { loadGateway, type StartGateway } from '@portal/testing';
import { startGateway } from '../src/index.ts';

// The harness loads the gateway by its folder (it cannot depend on it as a package: the gateway's
// tests depend on the harness) and restates what it uses of it. This assignment checks that in
// `npm run typecheck`: a change to startGateway or RunningGateway that would break the harness fails here.
const start: StartGateway = startGateway;

it('the harness gets the very startGateway the gateway exports (one instance, not a second copy by path)', async () => {
  expect(await loadGateway()).toBe(start);
});
