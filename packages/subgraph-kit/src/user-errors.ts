/**
 * Expected failures (validation, business rules) travel as data in mutation payloads, never as
 * GraphQL errors: `userErrors { code field message messageJa }`.
 */
export interface UserError<Code extends string = string> {
  code: Code;
  /** The input field at fault, as a dotted path (`input.phone`), or null for the whole request. */
  field: string | null;
  message: string;
  messageJa: string;
}

export interface Messages {
  en: string;
  ja: string;
}

export function userError<Code extends string>(code: Code, field: string | null, messages: Messages): UserError<Code> {
  return { code, field, message: messages.en, messageJa: messages.ja };
}
