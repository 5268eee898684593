import { z } from 'zod';

/**
 * The one reader of `process.env` for an app. Settings are `DATABASE_URL` and `PORTAL_*`; a missing
 * or malformed setting, or a `PORTAL_*` setting nobody declared (a typo), stops the boot with a
 * message naming it.
 */
export function loadEnv<S extends z.ZodRawShape>(app: string, shape: S, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const schema = z.object(shape);
  const declared = new Set(Object.keys(shape));
  const input: Record<string, string | undefined> = {};
  for (const key of declared) input[key] = source[key] === '' ? undefined : source[key];
  const unknown = Object.keys(source).filter((k) => k.startsWith('PORTAL_') && !declared.has(k) && !SHARED_OPTIONAL.has(k));
  const result = schema.safeParse(input);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.') || '(env)'}: ${issue.message}`);
  }
  for (const k of unknown) problems.push(`${k}: unknown setting for ${app} (typo?)`);
  if (problems.length > 0 || !result.success) {
    throw new Error(`Invalid configuration for ${app}:\n  - ${problems.join('\n  - ')}`);
  }
  return result.data;
}

/** Settings every process may receive from the launcher even when it does not use them. */
const SHARED_OPTIONAL = new Set(['PORTAL_LOG_LEVEL', 'PORTAL_TEST_CLOCK', 'PORTAL_DATA_DIR', 'PORTAL_FILE_LINK_SECRET', 'PORTAL_SMTP_URL', 'PORTAL_INTERNAL_PUBLIC_KEY', 'PORTAL_INTERNAL_PRIVATE_KEY', 'PORTAL_SUBGRAPH_URLS', 'PORTAL_TRUSTED_PROXIES', 'PORTAL_SESSION_IDLE_MINUTES', 'PORTAL_GATEWAY_PORT', 'PORTAL_PUBLIC_URL', 'PORTAL_TSA_URL', 'PORTAL_TSA_CA_FILE', 'PORTAL_OPERATOR_MAIL', 'PORTAL_BREAKER_FAILURES', 'PORTAL_BREAKER_HALF_OPEN_MS', 'PORTAL_RATE_LIMITS']);

export const booleanFlag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');
