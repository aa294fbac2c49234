import {
  type ASTNode,
  BREAK,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  isAbstractType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { ScopeEnforcement } from '../requirements/scope-enforcement';

/** Whether a node (an argument's value) mentions a variable anywhere inside it. */
function mentionsVariable(node: ASTNode): boolean {
  let found = false;
  visit(node, {
    Variable() {
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * The coordinates of the selections whose requirement a dynamic
 * `requiredScope` decides from arguments that read variables: what
 * `checkOperation` and `explainOperation` cannot know without the
 * variables. Empty when no enforcement has a `requiredScope`. For a field of
 * an interface or union, every concrete type with a requirement counts.
 * Sorted, without duplicates.
 */
export function variableDependentRequirements(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  enforcements: readonly ScopeEnforcement[],
): string[] {
  const dynamic = enforcements.filter((enforcement) => enforcement.requiredScope !== undefined);
  if (dynamic.length === 0 || (operation.variableDefinitions ?? []).length === 0) return [];
  const found = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      if (!(node.arguments ?? []).some((argument) => mentionsVariable(argument.value))) return;
      const parent = typeInfo.getParentType();
      if (parent === null || parent === undefined) return;
      const types = isAbstractType(parent) ? schema.getPossibleTypes(parent) : isObjectType(parent) ? [parent] : [];
      for (const type of types) {
        // Only a single-scope requirement is the hook's to replace: an expression is static.
        if (dynamic.some((enforcement) => enforcement.requirementOf(type.name, node.name.value)?.scope !== undefined)) found.add(`${type.name}.${node.name.value}`);
      }
    },
  });
  visit(operation, visitor);
  // Fragments are walked from their own type condition: a spread in the operation reaches them.
  for (const fragment of Object.values(fragments)) {
    if (fragment.kind === Kind.FRAGMENT_DEFINITION) visit(fragment, visitor);
  }
  return [...found].sort();
}
