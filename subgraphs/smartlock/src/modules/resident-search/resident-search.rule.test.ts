import { describe, expect, it } from 'vitest';
import { refusedResidentConditions } from './resident-search.rule.ts';

const residentsUse = new Set(['residents:use']);
const smartlockView = new Set(['smartlock:view']);

describe('refusedResidentConditions', () => {
  it.each([
    ['no filter, smartlock VIEW', null, smartlockView, []],
    ['room conditions only, smartlock VIEW', { apNo: '100001', recipientName: '総務' }, smartlockView, []],
    ['resident name, smartlock VIEW', { residentName: '山田' }, smartlockView, ['residentName']],
    ['blank resident name counts as empty', { residentName: '  ' }, smartlockView, []],
    ['registration status, smartlock VIEW', { registrationStatus: 'UNREGISTERED' }, smartlockView, ['registrationStatus']],
    ['both, smartlock VIEW', { residentName: '山田', registrationStatus: 'REGISTERED' }, smartlockView, ['residentName', 'registrationStatus']],
    ['both, residents USE', { residentName: '山田', registrationStatus: 'REGISTERED' }, residentsUse, []],
    ['null values are empty', { residentName: null, registrationStatus: null }, smartlockView, []],
  ])('%s', (_label, filter, scopes, refused) => {
    expect(refusedResidentConditions(filter as Parameters<typeof refusedResidentConditions>[0], scopes)).toEqual(refused);
  });
});
