import type { PdfRecipient } from '@portal/documents';

/** What the refund statement needs of the member information (billing.member_ref). */
export interface AddresseeSource {
  name: string;
  headOfficePostalCode: string;
  headOfficeAddress: string;
  mailingPostalCode?: string | null;
  mailingCity?: string | null;
  mailingStreet?: string | null;
  mailingBuilding?: string | null;
  addresseeKind: 'CONTACT_PERSON' | 'ORGANISATION';
  addresseeDepartment?: string | null;
  addresseeContactName?: string | null;
}

/**
 * The refund statement's addressee (宛先), as 法人会員情報変更 set it (M:1822, M:1855, FAQ M:2584–2587):
 * the mailing address (書類等送付先) or, when none is registered, the head office; the company name
 * (changed only on paper); then 宛先1 (department) and 宛先2 with its honorific — 様 after a contact
 * person, 御中 after an organisation. With no 宛先2 the company itself is addressed (御中).
 * `fallbackName` serves until billing has learnt the member (no member.updated received yet).
 */
export function refundAddressee(source: AddresseeSource | null, fallbackName: string): PdfRecipient {
  if (!source) return { name: fallbackName };
  const hasMailing = !!(source.mailingPostalCode || source.mailingCity);
  const address = hasMailing
    ? [source.mailingPostalCode ? `〒${source.mailingPostalCode}` : null, `${source.mailingCity ?? ''}${source.mailingStreet ?? ''}`, source.mailingBuilding]
    : [`〒${source.headOfficePostalCode}`, source.headOfficeAddress];
  const attention = [source.addresseeDepartment];
  if (source.addresseeContactName) attention.push(`${source.addresseeContactName}　${source.addresseeKind === 'ORGANISATION' ? '御中' : '様'}`);
  const lines = attention.filter((l): l is string => !!l);
  return {
    name: source.name,
    // The honorific goes once, on the last line: the company's own line carries none when someone in it is named.
    honorific: source.addresseeContactName ? '' : '御中',
    address: address.filter((l): l is string => !!l),
    attention: lines,
  };
}
