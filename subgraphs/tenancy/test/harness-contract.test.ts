import { expect, it } from 'vitest';
import { loadTenancyApi, type TenancyHarnessApi } from '@portal/testing';
import * as tenancy from '../src/index.ts';

// The harness loads tenancy by its folder (it cannot depend on it as a package: tenancy's tests
// depend on the harness), so it cannot type what it uses. This assignment does, in `npm run
// typecheck`: a change to these exports that would break the harness fails here.
const api: TenancyHarnessApi = tenancy;

it('the harness gets the very module tenancy exports (one instance, not a second copy by path)', async () => {
  const loaded = await loadTenancyApi();
  expect(loaded.hashPassword).toBe(api.hashPassword);
  expect(loaded.recordRoomUpserts).toBe(api.recordRoomUpserts);
  expect(loaded.recordRoomRemovals).toBe(api.recordRoomRemovals);
  expect(loaded.ROOM_EVENT_RELAY_QUEUE).toBe(api.ROOM_EVENT_RELAY_QUEUE);
});
