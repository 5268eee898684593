/**
 * The seven permission areas (担当者情報変更と権限設定) and the scopes they grant.
 * A scope is `area:level`; higher levels imply lower ones when an identity's scopes are computed.
 */

export const BILLING_LEVELS = ['VIEW', 'UPDATE'] as const;
export const CANCELLATION_LEVELS = ['NONE', 'VIEW', 'REQUEST'] as const;
export const RESIDENTS_LEVELS = ['NONE', 'USE'] as const;
export const SMARTLOCK_LEVELS = ['NONE', 'VIEW', 'USE'] as const;
export const FIRE_INSURANCE_LEVELS = ['NONE', 'VIEW', 'USE'] as const;

export type BillingLevel = (typeof BILLING_LEVELS)[number];
export type CancellationLevel = (typeof CANCELLATION_LEVELS)[number];
export type ResidentsLevel = (typeof RESIDENTS_LEVELS)[number];
export type SmartlockLevel = (typeof SMARTLOCK_LEVELS)[number];
export type FireInsuranceLevel = (typeof FIRE_INSURANCE_LEVELS)[number];

/** Per-area permission levels of one account. Access restriction (area 6) follows the admin flag (area 7). */
export interface Permissions {
  billing: BillingLevel;
  cancellation: CancellationLevel;
  residents: ResidentsLevel;
  smartlock: SmartlockLevel;
  fireInsurance: FireInsuranceLevel;
  admin: boolean;
}

/** Every scope a member account can hold. */
export const MEMBER_SCOPES = [
  'billing:view',
  'billing:update',
  'cancellation:view',
  'cancellation:request',
  'residents:use',
  'smartlock:view',
  'smartlock:use',
  'fire-insurance:view',
  'fire-insurance:use',
  'access-restriction:manage',
  'admin',
] as const;

/** Held only by the leasing company's back office; no member account can ever hold it. */
export const OPERATOR_SCOPE = 'operator' as const;

export const KNOWN_SCOPES = [...MEMBER_SCOPES, OPERATOR_SCOPE] as const;
export type Scope = (typeof KNOWN_SCOPES)[number];

const KNOWN = new Set<string>(KNOWN_SCOPES);
export function isKnownScope(scope: string): scope is Scope {
  return KNOWN.has(scope);
}

/** The most an account can hold: the administrator's permissions. */
export const ADMIN_PERMISSIONS: Permissions = {
  billing: 'UPDATE',
  cancellation: 'REQUEST',
  residents: 'USE',
  smartlock: 'USE',
  fireInsurance: 'USE',
  admin: true,
};

/**
 * The scopes an account's permissions grant. An administrator has every area at its highest
 * level regardless of the stored levels (DOMAIN.md, area 7), plus access restriction and admin.
 */
export function scopesFor(permissions: Permissions): Set<Scope> {
  const p = permissions.admin ? ADMIN_PERMISSIONS : permissions;
  const scopes = new Set<Scope>();
  scopes.add('billing:view');
  if (p.billing === 'UPDATE') scopes.add('billing:update');
  if (p.cancellation !== 'NONE') scopes.add('cancellation:view');
  if (p.cancellation === 'REQUEST') scopes.add('cancellation:request');
  if (p.residents === 'USE') scopes.add('residents:use');
  if (p.smartlock !== 'NONE') scopes.add('smartlock:view');
  if (p.smartlock === 'USE') scopes.add('smartlock:use');
  if (p.fireInsurance !== 'NONE') scopes.add('fire-insurance:view');
  if (p.fireInsurance === 'USE') scopes.add('fire-insurance:use');
  if (permissions.admin) {
    scopes.add('access-restriction:manage');
    scopes.add('admin');
  }
  return scopes;
}
