import { DirectiveLocation, GraphQLDirective, GraphQLList, GraphQLNonNull, GraphQLString } from 'graphql';

/**
 * The scope directive's definition as a graphql-js `GraphQLDirective`:
 * `directive @<name>(resource: String, action: String, anyOf: [String!]) repeatable on OBJECT | INTERFACE | FIELD_DEFINITION`
 * (repeat it for AND; `anyOf` for OR).
 *
 * Code-first builders that take directive objects rather than SDL need it:
 * NestJS (`buildSchemaOptions: { directives: [...] }`), a hand-built
 * `new GraphQLSchema({ directives: [...specifiedDirectives, definition] })`.
 * `scopeDirective(name).scopeDirectiveDefinition` is the same definition;
 * its `scopeDirectiveTypeDefs` is this one printed.
 *
 * @param directiveName - The directive's name, without `@`. Default `'scope'`.
 * @example
 * ```ts
 * GraphQLModule.forRoot<ApolloDriverConfig>({
 *   driver: ApolloDriver,
 *   autoSchemaFile: true,
 *   buildSchemaOptions: { directives: [createScopeDirectiveDefinition()] },
 * });
 * ```
 */
export function createScopeDirectiveDefinition(directiveName = 'scope'): GraphQLDirective {
  return new GraphQLDirective({
    name: directiveName,
    locations: [DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.FIELD_DEFINITION],
    isRepeatable: true,
    args: {
      resource: { type: GraphQLString },
      action: { type: GraphQLString },
      anyOf: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    },
  });
}
