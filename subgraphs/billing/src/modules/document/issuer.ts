/**
 * The issuer printed on every billing document. The qualified invoice (適格請求書) needs the registered
 * issuer's name and registration number (登録番号, T + 13 digits). Demo values: a deployment replaces
 * them with the leasing company's own (a fictional number with a valid check digit here).
 */
export const BILLING_ISSUER = {
  name: '株式会社サンプルリーシング',
  registrationNumber: 'T7123456789012',
  address: ['〒100-0005', '東京都千代田区丸の内1-1-1'],
  phone: '03-0000-0000',
} as const;
