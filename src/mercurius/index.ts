// graphql-scoped-permissions/mercurius: Mercurius' errorFormatter and context
// with this package's status policy. Typed structurally: this entry imports
// neither Mercurius nor Fastify.

export { scopedErrorFormatter } from './scoped-error-formatter';
export type {
  MercuriusErrorFormatter,
  MercuriusExecution,
  MercuriusFormatted,
  MercuriusReplyContext,
  ScopedErrorFormatterOptions,
} from './scoped-error-formatter';
export { scopedMercuriusContext } from './scoped-mercurius-context';
export type { FastifyRequestLike } from './scoped-mercurius-context';
