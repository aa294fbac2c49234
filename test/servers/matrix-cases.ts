import { generateApiKey } from '../../src/keys/api-key-format';
import type { MatrixApp } from './matrix-app';

/** The keys the matrix authenticates with, created in each app's store. */
export interface MatrixKeys {
  /** posts.read */
  readonly reader: string;
  /** posts.read, posts.write */
  readonly writer: string;
  /** comments.read: nothing this schema protects */
  readonly stranger: string;
  /** posts.read, revoked */
  readonly revoked: string;
}

/** Creates the keys of {@link MatrixKeys} in the app's store. */
export async function createMatrixKeys(app: MatrixApp): Promise<MatrixKeys> {
  const create = async (name: string, scopes: string[]) => (await app.store.createApiKey({ name, scopes })).key;
  const revoked = await app.store.createApiKey({ name: 'revoked', scopes: ['posts.read'] });
  await app.store.revokeApiKey(revoked.apiKey.id);
  return {
    reader: await create('reader', ['posts.read']),
    writer: await create('writer', ['posts.read', 'posts.write']),
    stranger: await create('stranger', ['comments.read']),
    revoked: revoked.key,
  };
}

/** Who sends a request: a key of {@link MatrixKeys}, nobody, or a credential the store cannot know. */
export type Caller = keyof MatrixKeys | 'anonymous' | 'malformed' | 'unknown';

/** The `Authorization` header of a caller. */
export function headersOf(caller: Caller, keys: MatrixKeys): Record<string, string> {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'malformed':
      return { authorization: 'Bearer not-a-key' };
    case 'unknown':
      return { authorization: `Bearer ${generateApiKey().key}` };
    default:
      return { authorization: `Bearer ${keys[caller]}` };
  }
}

/** One request of the matrix. */
export interface MatrixCase {
  readonly name: string;
  readonly caller: Caller;
  readonly query: string;
  /** Break the store for this request. */
  readonly outage?: boolean;
}

export const MATRIX_CASES: readonly MatrixCase[] = [
  { name: 'allowed', caller: 'reader', query: '{ posts { id title } }' },
  { name: 'allowed mutation', caller: 'writer', query: 'mutation { createPost(title: "Hi") { id title } }' },
  { name: 'partial denial', caller: 'reader', query: '{ hello stats }' },
  { name: 'partial denial below an allowed field', caller: 'reader', query: '{ posts { id secret } }' },
  { name: 'whole denial', caller: 'stranger', query: '{ posts { id } }' },
  { name: 'mutation without its scope', caller: 'reader', query: 'mutation { createPost(title: "Hi") { id } }' },
  { name: 'anonymous, scoped field', caller: 'anonymous', query: '{ posts { id } }' },
  { name: 'anonymous, public field', caller: 'anonymous', query: '{ hello }' },
  { name: 'malformed key', caller: 'malformed', query: '{ hello }' },
  { name: 'unknown key', caller: 'unknown', query: '{ hello }' },
  { name: 'revoked key', caller: 'revoked', query: '{ posts { id } }' },
  { name: 'store outage', caller: 'unknown', query: '{ hello }', outage: true },
];
