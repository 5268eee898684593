import type { ASTNode } from 'graphql';

/** Schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) of a node from its visitor ancestors. */
export function coordinateOf(ancestors: ReadonlyArray<ASTNode | readonly ASTNode[]>, node?: ASTNode): string {
  const parts: string[] = [];
  for (const ancestor of [...ancestors, ...(node ? [node] : [])]) {
    if (Array.isArray(ancestor) || !('kind' in ancestor)) continue;
    const named = ancestor as ASTNode & { name?: { value: string } };
    switch (named.kind) {
      case 'SchemaDefinition':
      case 'SchemaExtension':
        parts.push('schema');
        break;
      case 'InputValueDefinition':
        if (parts.length > 0) parts[parts.length - 1] += `(${named.name?.value}:)`;
        break;
      case 'Directive':
      case 'NamedType':
      case 'Name':
        break;
      default:
        if (named.kind.endsWith('Definition') || named.kind.endsWith('Extension')) {
          if (named.name) parts.push(named.name.value);
        }
    }
  }
  return parts.join('.') || 'schema';
}
