import { type ConstDirectiveNode, type FieldDefinitionNode, Kind, type TypeNode } from 'graphql';
import type { Finding } from '../findings.ts';
import { type LoadedSubgraph, loadSubgraphs } from '../repo.ts';

/**
 * (h) What the gateway's cost analysis needs from the SDL (gateway/src/operation-limits.ts):
 * - every list field has a size: `@listSize(slicingArguments: [...])` or `@listSize(assumedSize:)`,
 *   or is named in `@listSize(sizedFields:)` of a field returning its type (a connection's `edges`);
 *   an unsized list is priced at a guess, so one added later would make the cost limit a guess too;
 * - every login-like mutation (log-in, password, one-time or verification code) carries
 *   `@tag(name: "sensitive")`, which the gateway allows once per operation, so the next area's
 *   login or code check cannot be called fifty times under aliases in one request.
 */
export function demandControlFindings(subgraph: LoadedSubgraph): Finding[] {
  const document = subgraph.document;
  if (!document) return [];
  const findings: Finding[] = [];
  const report = (message: string, field: FieldDefinitionNode) => {
    const location = field.loc ? subgraph.locate(field.loc.start) : undefined;
    findings.push({ check: 'demand-control', severity: 'error', message: `${subgraph.name}: ${message}`, ...(location ? { location } : {}) });
  };
  const holders = document.definitions.filter(
    (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION || d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION,
  );
  // `Type.field` names sized by their parent field's @listSize(sizedFields:).
  const sizedByParent = new Set<string>();
  for (const holder of holders) {
    for (const field of holder.fields ?? []) {
      const listSize = field.directives?.find((d) => d.name.value === 'listSize');
      for (const name of listSize ? stringList(listSize, 'sizedFields') : []) sizedByParent.add(`${namedType(field.type)}.${name}`);
    }
  }
  for (const holder of holders) {
    const typeName = holder.name.value;
    for (const field of holder.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      if (isList(field.type) && !sizedByParent.has(coordinate)) {
        const listSize = field.directives?.find((d) => d.name.value === 'listSize');
        const assumed = listSize?.arguments?.find((a) => a.name.value === 'assumedSize')?.value.kind === Kind.INT;
        const slicing = listSize ? stringList(listSize, 'slicingArguments') : [];
        const unknownSlicing = slicing.filter((s) => !field.arguments?.some((a) => a.name.value === s));
        if (unknownSlicing.length > 0) report(`${coordinate}: @listSize slices by ${unknownSlicing.join(', ')}, which it has no argument for`, field);
        else if (!assumed && slicing.length === 0) report(`${coordinate} is a list without a size: add @listSize(slicingArguments: ["first"]) or @listSize(assumedSize: N) (the gateway's cost analysis multiplies by it)`, field);
      }
      if (typeName === 'Mutation' && LOGIN_LIKE.test(field.name.value) && !field.directives?.some(isSensitiveTag)) {
        report(`${coordinate} looks like a log-in, password or code check but has no @tag(name: "sensitive") (at most one such field per operation)`, field);
      }
    }
  }
  return findings;
}

/** Mutation names that check a secret: log-ins, passwords, one-time and verification codes. */
export const LOGIN_LIKE = /login|password|passcode|otp|verificationcode|verifycode/i;

export function checkDemandControl(root: string): Finding[] {
  return loadSubgraphs(root).flatMap(demandControlFindings);
}

function isSensitiveTag(d: ConstDirectiveNode): boolean {
  const name = d.arguments?.find((a) => a.name.value === 'name')?.value;
  return d.name.value === 'tag' && name?.kind === Kind.STRING && name.value === 'sensitive';
}

function isList(type: TypeNode): boolean {
  return type.kind === Kind.LIST_TYPE || (type.kind === Kind.NON_NULL_TYPE && isList(type.type));
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function stringList(d: ConstDirectiveNode, name: string): string[] {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  const items = v?.kind === Kind.LIST ? v.values : v ? [v] : [];
  return items.flatMap((i) => (i.kind === Kind.STRING ? [i.value] : []));
}
