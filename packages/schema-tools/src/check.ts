import { type BreakingChangeOptions, checkBreakingChanges } from './checks/breaking-changes.check.ts';
import { checkClientOperations } from './checks/client-operations.check.ts';
import { checkComposition } from './checks/composition.check.ts';
import { checkDemandControl } from './checks/demand-control.check.ts';
import { checkDenyByDefault } from './checks/deny-by-default.check.ts';
import { checkGeneratedTypes } from './checks/generated-types.check.ts';
import { checkNoRename } from './checks/no-rename.check.ts';
import { checkScopes } from './checks/scopes.check.ts';
import { checkUpToDate } from './checks/up-to-date.check.ts';
import type { Finding } from './findings.ts';

export { chooseBase, findAcknowledgement, BREAKING_CHANGES_FILE, type BreakingChangeOptions } from './checks/breaking-changes.check.ts';
export {
  checkBreakingChanges,
  checkClientOperations,
  checkComposition,
  checkDemandControl,
  checkDenyByDefault,
  checkGeneratedTypes,
  checkNoRename,
  checkScopes,
  checkUpToDate,
};
export { clientOperationFindings } from './checks/client-operations.check.ts';
export { demandControlFindings, LOGIN_LIKE } from './checks/demand-control.check.ts';
export { denyByDefaultFindings } from './checks/deny-by-default.check.ts';
export { generatedTypeFindings, CODEGEN_CONFIG_FILE, type GeneratedFile } from './checks/generated-types.check.ts';
export { noRenameFindings } from './checks/no-rename.check.ts';
export { scopeFindings } from './checks/scopes.check.ts';

export type CheckOptions = BreakingChangeOptions;

/** Every schema check (a–i) on the checkout at `root`, in order. */
export async function runChecks(root: string, options: CheckOptions = {}): Promise<Finding[]> {
  return [
    ...checkComposition(root),
    ...checkUpToDate(root),
    ...checkDenyByDefault(root),
    ...checkScopes(root),
    ...checkNoRename(root),
    ...checkDemandControl(root),
    ...(await checkBreakingChanges(root, options)),
    ...checkClientOperations(root),
    ...(await checkGeneratedTypes(root)),
  ];
}
