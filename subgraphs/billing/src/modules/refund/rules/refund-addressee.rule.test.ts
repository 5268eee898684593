import { describe, expect, it } from 'vitest';
import { refundAddressee, type AddresseeSource } from './refund-addressee.rule.ts';

const member: AddresseeSource = {
  name: '株式会社サンプル',
  headOfficePostalCode: '100-0001',
  headOfficeAddress: '東京都千代田区千代田1-1',
  mailingPostalCode: '163-8001',
  mailingCity: '東京都新宿区',
  mailingStreet: '西新宿２－８－１',
  mailingBuilding: '７Ｆ',
  addresseeKind: 'CONTACT_PERSON',
  addresseeDepartment: '経理部',
  addresseeContactName: 'レオパ太郎',
};

describe('the refund statement addressee (M:1822, M:1855)', () => {
  it('a contact person: mailing address, company, department, name with 様', () => {
    expect(refundAddressee(member, 'x')).toEqual({
      name: '株式会社サンプル', honorific: '', address: ['〒163-8001', '東京都新宿区西新宿２－８－１', '７Ｆ'], attention: ['経理部', 'レオパ太郎　様'],
    });
  });

  it('an organisation as 宛先2 takes 御中 (M:1840)', () => {
    expect(refundAddressee({ ...member, addresseeKind: 'ORGANISATION', addresseeContactName: '総務課' }, 'x').attention).toEqual(['経理部', '総務課　御中']);
  });

  it('no mailing address: the head office; no 宛先: the company itself with 御中', () => {
    const r = refundAddressee({ ...member, mailingPostalCode: null, mailingCity: null, mailingStreet: null, mailingBuilding: null, addresseeDepartment: null, addresseeContactName: null }, 'x');
    expect(r).toEqual({ name: '株式会社サンプル', honorific: '御中', address: ['〒100-0001', '東京都千代田区千代田1-1'], attention: [] });
  });

  it('before billing has learnt the member: the name it was given', () => {
    expect(refundAddressee(null, '株式会社サンプル商事')).toEqual({ name: '株式会社サンプル商事' });
  });
});
