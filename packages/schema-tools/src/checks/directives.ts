import { type DirectiveNode, Kind } from 'graphql';

/** The names the checks trust; `no-rename` makes sure they mean Federation's directives. */
export const AUTHENTICATED = 'authenticated';
export const REQUIRES_SCOPES = 'requiresScopes';
export const TAG = 'tag';
export const AUTH_DIRECTIVE_NAMES: readonly string[] = [AUTHENTICATED, REQUIRES_SCOPES, TAG];
export const PUBLIC_TAG = 'public';

export function isAuthDirective(directive: DirectiveNode): boolean {
  return directive.name.value === AUTHENTICATED || directive.name.value === REQUIRES_SCOPES;
}

/** `@tag(name: "public")`: the explicit marker for fields a stranger may call. */
export function isPublicTag(directive: DirectiveNode): boolean {
  if (directive.name.value !== TAG) return false;
  const name = directive.arguments?.find((a) => a.name.value === 'name')?.value;
  return name?.kind === Kind.STRING && name.value === PUBLIC_TAG;
}
