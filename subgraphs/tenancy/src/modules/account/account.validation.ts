import { z } from 'zod';
import { BILLING_LEVELS, CANCELLATION_LEVELS, FIRE_INSURANCE_LEVELS, RESIDENTS_LEVELS, SMARTLOCK_LEVELS } from '@portal/auth';
import { NAME_MAX_LENGTH, isValidLoginId, normalizeLoginId } from './account.rule.ts';

/** zod schemas of the account inputs; each check's message is an ACCOUNT_ERRORS code. */
const loginId = z.string().transform(normalizeLoginId).refine(isValidLoginId, 'LOGIN_ID_INVALID');
const name = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .refine((s) => s.length > 0, 'NAME_REQUIRED')
  .refine((s) => [...s].length <= NAME_MAX_LENGTH, 'NAME_TOO_LONG');
const email = z.string().trim().max(254, 'EMAIL_INVALID').pipe(z.email('EMAIL_INVALID'));

export const permissionsInput = z.object({
  billing: z.enum(BILLING_LEVELS),
  cancellation: z.enum(CANCELLATION_LEVELS),
  residents: z.enum(RESIDENTS_LEVELS),
  smartlock: z.enum(SMARTLOCK_LEVELS),
  fireInsurance: z.enum(FIRE_INSURANCE_LEVELS),
  admin: z.boolean(),
});
export type PermissionsInput = z.infer<typeof permissionsInput>;

export const createAccountInput = z.object({
  loginId,
  name,
  email,
  permissions: permissionsInput,
  cancellationNotify: z.boolean().nullish().transform((v) => v ?? false),
  initialPassword: z.string().nullish(),
});
export type CreateAccountInput = z.infer<typeof createAccountInput>;

export const updateAccountInput = z.object({
  id: z.string(),
  loginId: loginId.nullish(),
  name: name.nullish(),
  email: email.nullish(),
  permissions: permissionsInput.nullish(),
  cancellationNotify: z.boolean().nullish(),
});
export type UpdateAccountInput = z.infer<typeof updateAccountInput>;
