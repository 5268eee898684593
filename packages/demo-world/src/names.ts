import jaconvModule from 'jaconv';

// jaconv ships an ESM build and a CJS build whose typings disagree on the default export; take whichever holds the functions.
type Jaconv = { toHanKana(s: string): string };
const jaconv: Jaconv = ((jaconvModule as unknown as { default?: Jaconv }).default ?? jaconvModule) as unknown as Jaconv;

/**
 * Names with their readings, so that a resident's kana (フリガナ) is the reading of the name shown
 * beside it: faker's Japanese names come without readings, and a random kana next to a kanji name is
 * the first thing a Japanese reviewer notices. Common surnames and given names, one usual reading each.
 */
const SURNAMES: readonly (readonly [string, string])[] = [
  ['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'], ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['吉田', 'ヨシダ'], ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'], ['井上', 'イノウエ'], ['木村', 'キムラ'], ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'], ['清水', 'シミズ'], ['山崎', 'ヤマザキ'], ['森', 'モリ'], ['池田', 'イケダ'], ['橋本', 'ハシモト'],
  ['阿部', 'アベ'], ['石川', 'イシカワ'], ['前田', 'マエダ'], ['藤田', 'フジタ'], ['岡田', 'オカダ'], ['後藤', 'ゴトウ'],
];
const MALE: readonly (readonly [string, string])[] = [
  ['翔太', 'ショウタ'], ['大輔', 'ダイスケ'], ['健太', 'ケンタ'], ['拓也', 'タクヤ'], ['直樹', 'ナオキ'], ['誠', 'マコト'],
  ['亮', 'リョウ'], ['和也', 'カズヤ'], ['浩二', 'コウジ'], ['達也', 'タツヤ'], ['隆', 'タカシ'], ['悠斗', 'ユウト'],
  ['蓮', 'レン'], ['大樹', 'ダイキ'], ['雄一', 'ユウイチ'], ['一郎', 'イチロウ'],
];
const FEMALE: readonly (readonly [string, string])[] = [
  ['陽子', 'ヨウコ'], ['美咲', 'ミサキ'], ['由美', 'ユミ'], ['愛', 'アイ'], ['恵', 'メグミ'], ['真由美', 'マユミ'],
  ['彩', 'アヤ'], ['奈々', 'ナナ'], ['優子', 'ユウコ'], ['智子', 'トモコ'], ['結衣', 'ユイ'], ['香織', 'カオリ'],
  ['明美', 'アケミ'], ['沙織', 'サオリ'], ['舞', 'マイ'], ['千尋', 'チヒロ'],
];

export interface PersonName {
  /** 姓 名 with one half-width space, as the screens show it. */
  name: string;
  /** The reading in full-width katakana (セイ メイ). */
  katakana: string;
  /** The reading in half-width katakana (ｾｲ ﾒｲ), as resident and recipient kana are stored. */
  kana: string;
}

export function personName(random: () => number, gender: 'MALE' | 'FEMALE'): PersonName {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const [last, lastKana] = pick(SURNAMES);
  const [first, firstKana] = pick(gender === 'MALE' ? MALE : FEMALE);
  const katakana = `${lastKana} ${firstKana}`;
  return { name: `${last} ${first}`, katakana, kana: jaconv.toHanKana(katakana) };
}

/** Every reading the list knows, kanji → katakana: what the consistency test checks stored kana against. */
export const NAME_READINGS: ReadonlyMap<string, string> = new Map([...SURNAMES, ...MALE, ...FEMALE]);
export const toHalfWidthKana = (katakana: string): string => jaconv.toHanKana(katakana);
