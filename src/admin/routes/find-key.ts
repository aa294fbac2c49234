import type { ApiKeyRecord } from '../../store/scope-store';
import { KEY_ID_PATTERN } from '../../store/store-input';
import type { AdminContext } from '../admin-context';
import { checkedKey } from './checked-records';
import { notFound } from './not-found';

/** The key with id `id`, or `undefined` after answering 404 (also for an id that is not one). */
export async function findKey(admin: AdminContext, id: string): Promise<ApiKeyRecord | undefined> {
  const key = KEY_ID_PATTERN.test(id) ? await admin.request.config.store.getApiKey(id) : null;
  if (key === null) notFound(admin, 'keys', 'key with this id');
  return key === null ? undefined : checkedKey(key, 'getApiKey');
}
