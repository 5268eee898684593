import type { z } from 'zod';
import { userError, type Messages, type UserError } from '@portal/subgraph-kit';

/**
 * zod at the edge, user errors out: every check of a module's schema uses an error CODE of that
 * module as its message; this turns the issues into `UserError`s naming the input field, with the
 * module's English and Japanese messages for the code. The first problem per field is reported.
 */
export function userErrorsFrom(error: z.ZodError, messages: Readonly<Record<string, Messages>>, prefix = 'input'): UserError[] {
  const seen = new Set<string>();
  const out: UserError[] = [];
  for (const issue of error.issues) {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    const code = issue.message in messages ? issue.message : 'INVALID_INPUT';
    out.push(userError(code, field, messages[code] ?? { en: 'This value is not valid.', ja: '入力内容が正しくありません。' }));
  }
  return out;
}
