/**
 * Who may use which condition of the resident search. The search itself is open to residents USE
 * (入居者変更: sees and changes residents) and to smartlock recipients VIEW (Smartlock受取者登録:
 * sees recipients and the rooms they hold). Conditions on residents reveal resident data (that a
 * room has a resident of a given name, or any resident at all), so they need residents USE.
 */
export const RESIDENT_CONDITIONS = ['residentName', 'registrationStatus'] as const;
export const RESIDENTS_SCOPE = 'residents:use';

/** The filter fields the caller may not use, in a fixed order; empty when the filter is allowed. */
export function refusedResidentConditions(filter: Partial<Record<(typeof RESIDENT_CONDITIONS)[number], unknown>> | null | undefined, scopes: ReadonlySet<string>): string[] {
  if (!filter || scopes.has(RESIDENTS_SCOPE)) return [];
  return RESIDENT_CONDITIONS.filter((field) => {
    const value = filter[field];
    return value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === '');
  });
}
