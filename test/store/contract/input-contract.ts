import type { ScopeStore } from '../../../src/store/scope-store';
import { CONTRACT_CATALOG, untyped } from './contract-subject';
import type { SubjectAccessor } from './contract-subject';

/** Values no id, name or user id may be: operator objects, wrong types, empty, oversized, control characters. */
const HOSTILE_COMMON: ReadonlyArray<readonly [string, unknown]> = [
  ['{ $ne: null }', { $ne: null }],
  ['{ $gt: "" }', { $gt: '' }],
  ['{ $where: "1" }', { $where: '1' }],
  ['an array', ['alice']],
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
  ['an empty string', ''],
  ['a NUL character', 'ali\u0000ce'],
  ['a line break', 'ali\nce'],
];

const HOSTILE_KEY_IDS = [
  ...HOSTILE_COMMON,
  ['11 characters', 'AAAAAAAAAAA'],
  ['13 characters', 'AAAAAAAAAAAAA'],
  ['a dollar sign', 'AAAAAAAAAAA$'],
  ['a dot', 'AAAAAAAAAAA.'],
] as const;

const HOSTILE_GROUP_NAMES = [...HOSTILE_COMMON, ['a $ operator name', '$where'], ['101 characters', 'g'.repeat(101)], ['a leading space', ' editors']] as const;

const HOSTILE_USER_IDS = [...HOSTILE_COMMON, ['201 characters', 'u'.repeat(201)], ['blank', '   '], ['a zero-width space', 'ali\u200bce']] as const;

type Call = (store: ScopeStore, value: string) => Promise<unknown>;

const KEY_ID_CALLS: ReadonlyArray<readonly [string, Call]> = [
  ['getApiKey', (store, id) => store.getApiKey(id)],
  ['revokeApiKey', (store, id) => store.revokeApiKey(id)],
  ['updateApiKey', (store, id) => store.updateApiKey(id, { name: 'renamed' })],
  ['rotateApiKey', (store, id) => store.rotateApiKey(id, { gracePeriodMs: 0 })],
  ['setApiKeyScopes', (store, id) => store.setApiKeyScopes(id, ['posts.read'])],
  ['touchApiKey', (store, id) => store.touchApiKey(id, new Date())],
  ['findApiKeyCredential', (store, id) => store.findApiKeyCredential(id)],
  ['updateApiKeyHash', (store, id) => store.updateApiKeyHash(id, '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA')],
];

const GROUP_NAME_CALLS: ReadonlyArray<readonly [string, Call]> = [
  ['saveGroup', (store, name) => store.saveGroup({ name, scopes: ['posts.read'] })],
  ['deleteGroup', (store, name) => store.deleteGroup(name)],
  ['addGroupMember', (store, name) => store.addGroupMember(name, 'alice')],
  ['removeGroupMember', (store, name) => store.removeGroupMember(name, 'alice')],
  ['getGroup', (store, name) => store.getGroup(name)],
];

const USER_ID_CALLS: ReadonlyArray<readonly [string, Call]> = [
  ['addGroupMember', (store, userId) => store.addGroupMember('editors', userId)],
  ['removeGroupMember', (store, userId) => store.removeGroupMember('editors', userId)],
  ['getUserScopes', (store, userId) => store.getUserScopes(userId)],
];

function cross(calls: ReadonlyArray<readonly [string, Call]>, values: ReadonlyArray<readonly [string, unknown]>): Array<[string, string, Call, unknown]> {
  return calls.flatMap(([method, call]) => values.map(([label, value]): [string, string, Call, unknown] => [method, label, call, value]));
}

/**
 * The input half of the store contract: every id, group name and user id is
 * checked (type, length, charset) and rejected with `ERR_INVALID_INPUT`
 * before any database command, so operator objects never reach a query.
 */
export function describeInputContract(subject: SubjectAccessor): void {
  async function expectRejectedBeforeAnyCommand(call: () => Promise<unknown>, code: string): Promise<void> {
    const { commandCount } = subject();
    const before = commandCount?.();
    await expect(call()).rejects.toMatchObject({ code });
    if (commandCount !== undefined) expect(commandCount()).toBe(before);
  }

  it.each(cross(KEY_ID_CALLS, HOSTILE_KEY_IDS))('%s rejects a key id that is %s', async (_method, _label, call, value) => {
    await expectRejectedBeforeAnyCommand(() => call(subject().store, untyped<string>(value)), 'ERR_INVALID_INPUT');
  });

  it.each(cross(GROUP_NAME_CALLS, HOSTILE_GROUP_NAMES))('%s rejects a group name that is %s', async (_method, _label, call, value) => {
    await expectRejectedBeforeAnyCommand(() => call(subject().store, untyped<string>(value)), 'ERR_INVALID_INPUT');
  });

  it.each(cross(USER_ID_CALLS, HOSTILE_USER_IDS))('%s rejects a user id that is %s', async (_method, _label, call, value) => {
    // The group exists, so only the user id can be at fault.
    await subject().store.saveGroup({ name: 'editors', scopes: ['posts.read'] });
    await expectRejectedBeforeAnyCommand(() => call(subject().store, untyped<string>(value)), 'ERR_INVALID_INPUT');
  });

  it.each([
    ['an empty name', { name: '', scopes: [] }, 'ERR_INVALID_INPUT'],
    ['a 201-character name', { name: 'n'.repeat(201), scopes: [] }, 'ERR_INVALID_INPUT'],
    ['an operator object as name', { name: { $ne: null } }, 'ERR_INVALID_INPUT'],
    ['a name with a bidi override', { name: 'ci\u202e' }, 'ERR_INVALID_INPUT'],
    ['a string expiry', { name: 'ci', expiresAt: '2031-01-01' }, 'ERR_INVALID_INPUT'],
    ['an invalid expiry', { name: 'ci', expiresAt: new Date(Number.NaN) }, 'ERR_INVALID_INPUT'],
    ['a grant that breaks the grammar', { name: 'ci', scopes: ['posts.read.all'] }, 'ERR_INVALID_SCOPE'],
    ['an operator object as grant', { name: 'ci', scopes: [{ $gt: '' }] }, 'ERR_INVALID_SCOPE'],
    ['too many grants', { name: 'ci', scopes: Array.from({ length: 257 }, (_, i) => `r${i}.read`) }, 'ERR_INVALID_INPUT'],
    ['an unknown scope', { name: 'ci', scopes: ['posts.raed'], catalog: CONTRACT_CATALOG }, 'ERR_UNKNOWN_SCOPE'],
    ['no input object', null, 'ERR_INVALID_INPUT'],
  ])('createApiKey rejects %s before any command', async (_label, input, code) => {
    await expectRejectedBeforeAnyCommand(() => subject().store.createApiKey(untyped<{ name: string }>(input)), code);
  });

  it.each([
    ['no input object', null, 'ERR_INVALID_INPUT'],
    ['scopes that are not an array', { name: 'editors', scopes: 'posts.read' }, 'ERR_INVALID_INPUT'],
    ['an operator object as grant', { name: 'editors', scopes: [{ $ne: null }] }, 'ERR_INVALID_SCOPE'],
    ['an unknown scope', { name: 'editors', scopes: ['users.wrte'], catalog: CONTRACT_CATALOG }, 'ERR_UNKNOWN_SCOPE'],
  ])('saveGroup rejects %s before any command', async (_label, input, code) => {
    await expectRejectedBeforeAnyCommand(() => subject().store.saveGroup(untyped<{ name: string; scopes: string[] }>(input)), code);
  });
}
