import { ScopedPermissionsError } from '../errors/scoped-permissions-error';

/**
 * A requirement carried in graphql-js `extensions` instead of an SDL
 * directive, for code-first schemas (Pothos, NestJS `@Extensions()`,
 * TypeGraphQL, a hand-built `GraphQLSchema`). It sits under the directive's
 * name (`extensions.scope` for the default `@scope`) on an object type, an
 * interface or one of their fields, and means exactly what
 * `@scope(resource: …, action: …)` (or `@scope(anyOf: […])`) means there: the same default action,
 * the same precedence (field, interface field, type, interface) and the same
 * validation.
 *
 * @example
 * ```ts
 * new GraphQLObjectType({
 *   name: 'Mutation',
 *   fields: {
 *     publishPost: { type: GraphQLBoolean, extensions: { scope: { resource: 'posts', action: 'publish' } } },
 *   },
 * });
 * ```
 */
export type ScopeExtension =
  | {
      /** The resource (`posts`); the same grammar as a scope's resource part. */
      readonly resource: string;
      /** The action (`publish`). Default: as for the directive (`read`, `write` on Mutation fields, `delete` for delete verbs). */
      readonly action?: string | null;
      readonly anyOf?: undefined;
    }
  | {
      /**
       * Full scope names of which any one will do (OR), as `@scope(anyOf: …)`:
       * `{ anyOf: ['posts.read', 'posts.moderate'] }`. Never with `resource`/`action`.
       * To require several (AND) code-first, repeat the directive in `extensions.directives`.
       */
      readonly anyOf: readonly string[];
      readonly resource?: undefined;
      readonly action?: undefined;
    };

/** Something that can carry graphql-js `extensions`: a type, a field, an argument, an enum value… */
interface Extensible {
  readonly extensions?: unknown;
}

/**
 * The requirement `element` carries in `extensions[directiveName]`, as the
 * argument record a directive usage gives (`{ resource, action }`), or
 * undefined when it carries none (absent, `undefined` or `null`). The
 * caller validates the record's keys and values as it does a directive's.
 *
 * @throws {@link ScopedPermissionsError} `ERR_INVALID_DIRECTIVE` when the value is not a plain object
 *   (a string, an array, a class instance…).
 */
export function scopeExtensionArguments(element: Extensible, directiveName: string, coordinate: string): Readonly<Record<string, unknown>> | undefined {
  const extensions = element.extensions;
  if (extensions == null || typeof extensions !== 'object' || !Object.hasOwn(extensions, directiveName)) return undefined;
  const value: unknown = (extensions as Record<string, unknown>)[directiveName];
  if (value == null) return undefined;
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (typeof value !== 'object' || Array.isArray(value) || (prototype !== Object.prototype && prototype !== null)) {
    throw new ScopedPermissionsError(
      'ERR_INVALID_DIRECTIVE',
      `extensions.${directiveName} on ${coordinate}: expected an object { resource, action? }, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
      { details: { coordinate } },
    );
  }
  return value as Readonly<Record<string, unknown>>;
}
