import { type FieldNode, getArgumentValues, GraphQLError, type GraphQLField, valueFromAST } from 'graphql';

/**
 * The field's coerced arguments, as execution would pass them. An argument
 * given through an unknown variable is left out, so a dynamic requirement
 * sees only what is known.
 */
export function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  const args: Record<string, unknown> = {};
  for (const definition of field.args) {
    const given = node.arguments?.find((argument) => argument.name.value === definition.name);
    const value = given === undefined ? undefined : valueFromAST(given.value, definition.type, variables);
    if (value !== undefined) args[definition.name] = value;
    else if (given === undefined && definition.defaultValue !== undefined) args[definition.name] = definition.defaultValue;
  }
  return args;
}

