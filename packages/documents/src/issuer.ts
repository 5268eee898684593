import issuerJson from './issuer.json' with { type: 'json' };
import { isRegistrationNumber } from './qualified-invoice.ts';

/**
 * The issuer (発行者) printed on every document of every subgraph: billing's statements, qualified invoices
 * and refund statements, tenancy's settlement statements. One company, one registration number: a member
 * who compares two documents must see the same issuer. The values live in `issuer.json` beside this file
 * (demo values whose registration number validates); a deployment commits its own company there.
 */
export interface Issuer {
  /** Company name, e.g. '株式会社サンプルリーシング'. */
  readonly name: string;
  /** Postal code and address, one printed line each. */
  readonly address: readonly string[];
  readonly phone: string;
  /** 適格請求書発行事業者登録番号: 'T' + 13 digits with the corporate number's check digit. */
  readonly registrationNumber: string;
}

/** Checks an issuer configuration; throws an Error that names the bad field. */
export function parseIssuer(value: unknown): Issuer {
  const v = (value ?? {}) as Record<string, unknown>;
  const text = (field: string): string => {
    const s = v[field];
    if (typeof s !== 'string' || s.trim() === '') throw new Error(`issuer.${field} must be a non-empty string`);
    return s;
  };
  const name = text('name');
  const phone = text('phone');
  const registrationNumber = text('registrationNumber');
  if (!isRegistrationNumber(registrationNumber)) {
    throw new Error(`issuer.registrationNumber '${registrationNumber}' is not 'T' + 13 digits with a valid check digit`);
  }
  const address = v.address;
  if (!Array.isArray(address) || address.length === 0 || address.some((l) => typeof l !== 'string' || l.trim() === '')) {
    throw new Error('issuer.address must be a non-empty list of lines');
  }
  return Object.freeze({ name, address: Object.freeze([...(address as string[])]), phone, registrationNumber });
}

/** The configured issuer, checked when the module loads: a bad number stops the process at boot, not on a printed invoice. */
export const ISSUER: Issuer = parseIssuer(issuerJson);
