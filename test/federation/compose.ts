import { composeServices as apolloCompose } from '@apollo/composition';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { buildASTSchema, type ConstDirectiveNode, isObjectType, parse, valueFromASTUntyped } from 'graphql';

/** One subgraph's printed SDL. */
export interface SubgraphSdl {
  readonly name: string;
  readonly sdl: string;
  readonly url?: string;
}

export type Composer = 'apollo' | 'guild';

/**
 * Composes the subgraphs with `@apollo/composition` or
 * `@theguild/federation-composition`; throws with the composer's messages.
 */
export function compose(composer: Composer, subgraphs: readonly SubgraphSdl[]): string {
  const services = subgraphs.map(({ name, sdl, url }) => ({ name, typeDefs: parse(sdl), url: url ?? `http://${name}.invalid/graphql` }));
  if (composer === 'apollo') {
    const result = apolloCompose(services);
    if (result.errors !== undefined || result.supergraphSdl === undefined) throw new Error(`composition failed: ${(result.errors ?? []).map((error) => error.message).join('; ')}`);
    return result.supergraphSdl;
  }
  const result = guildCompose(services);
  if ('errors' in result && result.errors !== undefined && result.errors.length > 0) throw new Error(`composition failed: ${result.errors.map((error) => error.message).join('; ')}`);
  if (!('supergraphSdl' in result) || typeof result.supergraphSdl !== 'string') throw new Error('composition returned no supergraph');
  return result.supergraphSdl;
}

/** Every `@requiresScopes` of a supergraph's object fields, by coordinate. */
export function supergraphRequiresScopes(supergraphSdl: string): Record<string, unknown> {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const found: Record<string, unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((each: ConstDirectiveNode) => each.name.value === 'requiresScopes');
      const scopes = directive?.arguments?.find((argument) => argument.name.value === 'scopes');
      if (scopes !== undefined) found[`${type.name}.${field.name}`] = valueFromASTUntyped(scopes.value);
    }
  }
  return found;
}
