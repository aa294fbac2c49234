import { describeApiKeyContract } from './contract/api-key-contract';
import { describeAuditContract } from './contract/audit-contract';
import { describeChangeContract } from './contract/change-contract';
import { CONTRACT_NOW, freezeDate } from './contract/contract-subject';
import type { ContractSetup, ContractSubject } from './contract/contract-subject';
import { describeGroupContract } from './contract/group-contract';
import { describeInputContract } from './contract/input-contract';
import { describeLifecycleContract } from './contract/lifecycle-contract';
import { describeRotationRaceContract } from './contract/rotation-race-contract';
import { describeRateLimitContract } from './contract/rate-limit-contract';

export type { ContractSetup, ContractSubject } from './contract/contract-subject';
export { TEST_HASH_OPTIONS } from './contract/contract-subject';

/**
 * The one contract every `ScopeStore` meets (memory, Mongoose, and any
 * third-party store): API keys, credentials and change events, groups and
 * `getUserScopes`, input checks before any query, and the audit history. `setup` runs before
 * every test and must return a fresh, empty store; `Date` is frozen at
 * `CONTRACT_NOW` meanwhile.
 *
 * @example
 * ```ts
 * describeScopeStoreContract('MemoryScopeStore', async () => ({ store: new MemoryScopeStore({ hashOptions: TEST_HASH_OPTIONS }) }));
 * ```
 */
export function describeScopeStoreContract(name: string, setup: ContractSetup): void {
  describe(`${name} meets the ScopeStore contract`, () => {
    let current: ContractSubject | null = null;

    beforeEach(async () => {
      freezeDate(CONTRACT_NOW);
      current = await setup();
    });

    afterEach(async () => {
      jest.useRealTimers();
      await current?.teardown?.();
      current = null;
    });

    const subject = (): ContractSubject => {
      if (current === null) throw new Error('The contract subject exists only inside a test.');
      return current;
    };

    describe('API keys', () => describeApiKeyContract(subject));
    describe('groups', () => describeGroupContract(subject));
    describe('inputs', () => describeInputContract(subject));
    describe('updates, search and change events', () => describeChangeContract(subject));
    describe('key lifecycle: owners, rotation, owner-bound keys, watchChanges', () => describeLifecycleContract(subject));
    describe('rotateApiKey against a revoke, a narrowing or an expiry landing mid-rotation', () => describeRotationRaceContract(subject));
    describe('a key’s own rate limit', () => describeRateLimitContract(subject));
    describe('audit history', () => describeAuditContract(subject));

    it('hands out copies: mutating a returned record changes nothing stored', async () => {
      const { store } = subject();
      const { apiKey } = await store.createApiKey({ name: 'ci', scopes: ['posts.read'] });
      (apiKey.scopes as string[]).push('*');
      apiKey.createdAt.setTime(0);
      const group = await store.saveGroup({ name: 'editors', scopes: ['posts.read'] });
      await store.addGroupMember('editors', 'alice');
      (group.scopes as string[]).push('*');
      const listed = await store.listGroups();
      (listed[0]?.members as string[]).push('mallory');
      await expect(store.getApiKey(apiKey.id)).resolves.toMatchObject({ scopes: ['posts.read'], createdAt: CONTRACT_NOW });
      await expect(store.listGroups()).resolves.toEqual([expect.objectContaining({ scopes: ['posts.read'], members: ['alice'] })]);
      await expect(store.getUserScopes('mallory')).resolves.toEqual([]);
    });
  });
}
