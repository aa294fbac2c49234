// graphql-scoped-permissions/federation: @requiresScopes for gateways, concrete scopes for their JWTs,
// the principal a gateway forwards to subgraphs, and the token exchange for Apollo Router and Cosmo.

export { printSubgraphSchemaWithScopes } from './print-subgraph-schema-with-scopes';
export type { PrintSubgraphSchemaOptions } from './print-subgraph-schema-with-scopes';
export { requiresScopesOf } from './requires-scopes';
export { clausesOf } from '../requirements/scope-expression';
export { expandGrants } from './expand-grants';
export { FORWARDED_PRINCIPAL_HEADER, signForwardedPrincipal } from './forwarded-principal';
export type { SignForwardedPrincipalOptions } from './forwarded-principal';
export type { ScopeTokenSigning } from './scope-token';
export type { ForwardedPrincipalOptions } from '../auth/forwarded/forwarded-principal';
export { createTokenExchange } from './token-exchange';
export type { TokenExchangeHandler, TokenExchangeOptions, TokenExchangeResponse } from './token-exchange';
