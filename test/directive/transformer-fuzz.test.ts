import { addResolversToSchema, makeExecutableSchema } from '@graphql-tools/schema';
import fc from 'fast-check';
import { getNamedType, graphql, type GraphQLSchema, isCompositeType, isObjectType, validateSchema } from 'graphql';
import { assertScopesEnforced } from '../../src/directive/assert-scopes-enforced';
import { scopeDirective } from '../../src/directive/scope-directive';
import { ScopedPermissionsError } from '../../src/errors/scoped-permissions-error';
import { collectRequirements } from '../../src/requirements/collect-requirements';
import type { EnforcementMode } from '../../src/requirements/scope-enforcement';

// Issue 9, "Also": a fuzz test of the directive transformer over random SDL with the directive in
// random places. It either throws a typed ERR_* or produces a schema in which every scoped
// coordinate is guarded (assertScopesEnforced), and replacing a guarded resolver is detected.

interface Usage {
  readonly resource: string;
  readonly action: string | undefined;
}
interface FieldModel {
  readonly typeIndex: number;
  readonly list: boolean;
  readonly usage: Usage | undefined;
  readonly argUsage: Usage | undefined;
}
interface TypeModel {
  readonly usage: Usage | undefined;
  readonly fields: readonly FieldModel[];
  readonly implementsMask: number;
  readonly inheritedUsages: readonly (Usage | undefined)[];
}
interface SchemaModel {
  readonly extraLocations: boolean;
  readonly interfaces: readonly TypeModel[];
  readonly objects: readonly TypeModel[];
  readonly query: TypeModel;
  readonly mutation: TypeModel | undefined;
  readonly subscription: TypeModel | undefined;
  readonly unionUsage: Usage | undefined;
  readonly enumUsage: Usage | undefined;
  readonly scalarUsage: Usage | undefined;
  readonly schemaUsage: Usage | undefined;
  readonly mode: EnforcementMode;
  readonly requireScopes: boolean;
}

// Mostly valid names, sometimes invalid ones, which the transformer must refuse with a typed error.
const name = (valid: readonly string[], invalid: readonly string[]) =>
  fc.oneof({ weight: 60, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const usage: fc.Arbitrary<Usage | undefined> = fc.option(
  fc.record({
    resource: name(['posts', 'users', 'a-b', 'x_1'], ['Posts', '9x', 'a.b', '', '*']),
    action: fc.option(name(['read', 'write', 'publish'], ['Bad', '*', '']), { nil: undefined }),
  }),
  { nil: undefined, freq: 2 },
);
const field: fc.Arbitrary<FieldModel> = fc.record({ typeIndex: fc.nat(12), list: fc.boolean(), usage, argUsage: usage });
const type: fc.Arbitrary<TypeModel> = fc.record({
  usage,
  fields: fc.array(field, { minLength: 1, maxLength: 3 }),
  implementsMask: fc.nat(3),
  inheritedUsages: fc.array(usage, { minLength: 3, maxLength: 3 }),
});
const model: fc.Arbitrary<SchemaModel> = fc.record({
  extraLocations: fc.boolean(),
  interfaces: fc.array(type, { maxLength: 2 }),
  objects: fc.array(type, { minLength: 1, maxLength: 3 }),
  query: type,
  mutation: fc.option(type, { nil: undefined }),
  subscription: fc.option(type, { nil: undefined }),
  unionUsage: usage,
  enumUsage: usage,
  scalarUsage: usage,
  schemaUsage: usage,
  mode: fc.constantFrom<EnforcementMode>('field', 'operation'),
  requireScopes: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const render = (use: Usage | undefined): string =>
  use === undefined ? '' : ` @scope(resource: ${JSON.stringify(use.resource)}${use.action === undefined ? '' : `, action: ${JSON.stringify(use.action)}`})`;

/** Renders a model as SDL. Uses on extra locations appear only when the definition declares them. */
function sdlOf(schema: SchemaModel): string {
  const extra = (use: Usage | undefined) => (schema.extraLocations ? render(use) : '');
  const interfaceNames = schema.interfaces.map((_, index) => `I${index}`);
  const objectNames = schema.objects.map((_, index) => `T${index}`);
  const typeNames = ['String', 'Int', 'Color', 'Date', 'Result', ...interfaceNames, ...objectNames];
  const renderField = (name: string, model: FieldModel) => {
    const named = typeNames[model.typeIndex % typeNames.length] as string;
    return `  ${name}(arg: String${extra(model.argUsage)}): ${model.list ? `[${named}]` : named}${render(model.usage)}`;
  };
  // Interfaces share field names (s0, s1, …), so a type implementing two of them can inherit conflicting scopes.
  const interfaceFields = (index: number) => (schema.interfaces[index]?.fields ?? []).map((model, j) => ({ name: `s${j}`, model }));
  const objectType = (keyword: string, name: string, model: TypeModel, implementable: boolean, fieldPrefix = 'f') => {
    const implemented = implementable ? interfaceNames.filter((_, index) => (model.implementsMask >> index) & 1) : [];
    const inheritedByName = new Map<string, string>();
    implemented.forEach((interfaceName, position) => {
      interfaceFields(interfaceNames.indexOf(interfaceName)).forEach(({ name: fieldName, model: fieldModel }, j) => {
        if (!inheritedByName.has(fieldName)) inheritedByName.set(fieldName, renderField(fieldName, { ...fieldModel, usage: model.inheritedUsages[(position + j) % 3] }));
      });
    });
    const inherited = [...inheritedByName.values()];
    const own = model.fields.map((fieldModel, j) => renderField(`${fieldPrefix}${j}`, fieldModel));
    return `${keyword} ${name}${implemented.length > 0 ? ` implements ${implemented.join(' & ')}` : ''}${render(model.usage)} {\n${[...inherited, ...own].join('\n')}\n}`;
  };
  const locations = `OBJECT | INTERFACE | FIELD_DEFINITION${schema.extraLocations ? ' | ARGUMENT_DEFINITION | ENUM_VALUE | UNION | SCALAR | SCHEMA' : ''}`;
  return [
    `directive @scope(resource: String!, action: String) on ${locations}`,
    `enum Color { RED${extra(schema.enumUsage)} GREEN }`,
    `scalar Date${extra(schema.scalarUsage)}`,
    `union Result${extra(schema.unionUsage)} = ${objectNames.join(' | ')}`,
    ...schema.interfaces.map((model, index) => objectType('interface', `I${index}`, model, false, 's')),
    ...schema.objects.map((model, index) => objectType('type', `T${index}`, model, true)),
    objectType('type', 'Query', schema.query, false),
    ...(schema.mutation ? [objectType('type', 'Mutation', schema.mutation, false)] : []),
    ...(schema.subscription ? [objectType('type', 'Subscription', schema.subscription, false)] : []),
    `schema${extra(schema.schemaUsage)} { query: Query${schema.mutation ? ' mutation: Mutation' : ''}${schema.subscription ? ' subscription: Subscription' : ''} }`,
  ].join('\n');
}

function build(schema: SchemaModel): GraphQLSchema | undefined {
  try {
    const built = makeExecutableSchema({ typeDefs: sdlOf(schema) });
    return validateSchema(built).length === 0 ? built : undefined;
  } catch {
    return undefined; // SDL that graphql itself refuses is not the transformer's to judge
  }
}

function transform(schema: SchemaModel, built: GraphQLSchema): GraphQLSchema | ScopedPermissionsError {
  try {
    return scopeDirective('scope', { enforce: schema.mode, requireScopes: schema.requireScopes, onWarning: () => undefined }).scopeDirectiveTransformer(built);
  } catch (error) {
    if (error instanceof ScopedPermissionsError) return error;
    throw error; // anything else fails the property
  }
}

const outcomes = { invalidSdl: 0, refused: 0, transformed: 0, detected: 0 };
const codes: Record<string, number> = {};

describe('fuzz: the directive transformer over random SDL with the directive in random places', () => {
  afterAll(() => {
    // The runs must exercise both outcomes, or the property says little.
    expect(outcomes.refused).toBeGreaterThan(20);
    expect(Object.keys(codes).length).toBeGreaterThanOrEqual(2);
    expect(outcomes.transformed).toBeGreaterThan(50);
    expect(outcomes.detected).toBeGreaterThan(20);
  });

  it('throws a typed ERR_* or gives a schema whose every scoped coordinate is guarded and enforced', async () => {
    await fc.assert(
      fc.asyncProperty(model, async (schema) => {
        const built = build(schema);
        if (built === undefined) {
          outcomes.invalidSdl += 1;
          return;
        }
        const result = transform(schema, built);
        if (result instanceof ScopedPermissionsError) {
          outcomes.refused += 1;
          codes[result.code] = (codes[result.code] ?? 0) + 1;
          expect(result.name).toBe('ScopedPermissionsError');
          expect(result.code).toMatch(/^ERR_[A-Z_]+$/);
          return;
        }
        outcomes.transformed += 1;
        expect(() => assertScopesEnforced(result)).not.toThrow();
        // Not only marked: each scoped Query field refuses an anonymous caller.
        const requirements = collectRequirements(result);
        for (const [name, fieldDef] of Object.entries(result.getQueryType()?.getFields() ?? {})) {
          if (!requirements.has(`Query.${name}`)) continue;
          const selection = isCompositeType(getNamedType(fieldDef.type)) ? `${name} { __typename }` : name;
          const executed = await graphql({ schema: result, source: `{ ${selection} }`, contextValue: {} });
          expect(executed.errors?.map((error) => error.extensions.code ?? error.message)).toEqual(['UNAUTHENTICATED']);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('detects any guarded resolver replaced after the transform, and nothing else', () => {
    fc.assert(
      fc.property(model, fc.nat(), (schema, pick) => {
        const built = build(schema);
        const result = built === undefined ? undefined : transform(schema, built);
        if (result === undefined || result instanceof ScopedPermissionsError) return;
        const coordinates = Object.values(result.getTypeMap())
          .filter(isObjectType)
          .filter((objectType) => !objectType.name.startsWith('__'))
          .flatMap((objectType) => Object.keys(objectType.getFields()).map((fieldName) => [objectType.name, fieldName] as const));
        const [typeName, fieldName] = coordinates[pick % coordinates.length] as readonly [string, string];
        const replaced = addResolversToSchema({ schema: result, resolvers: { [typeName]: { [fieldName]: () => 'late' } } });
        const roots = [result.getQueryType(), result.getMutationType(), result.getSubscriptionType()].map((root) => root?.name);
        // Operation mode guards every root field; field mode every scoped field, and every Subscription
        // root field (whose events re-check the fields below it, review-2 finding R7).
        const guarded =
          schema.mode === 'operation'
            ? roots.includes(typeName)
            : collectRequirements(result).has(`${typeName}.${fieldName}`) || typeName === result.getSubscriptionType()?.name;
        if (!guarded) {
          expect(() => assertScopesEnforced(replaced)).not.toThrow();
          return;
        }
        outcomes.detected += 1;
        expect(() => assertScopesEnforced(replaced)).toThrow(
          expect.objectContaining({ code: 'ERR_UNGUARDED_FIELDS', details: { coordinates: [`${typeName}.${fieldName}`] } }),
        );
      }),
      { numRuns: 250 },
    );
  });
});
