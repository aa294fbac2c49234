import { hash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** The longest client id kept as it is; longer ones are replaced by their SHA-256. */
const MAX_PLAIN_LENGTH = 200;

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right].map((group) => group.padStart(4, '0').toLowerCase());
}

/**
 * The bucket a client's sign-in attempts are counted in: an IPv4 address
 * as it is (an IPv4-mapped IPv6 address as its IPv4 address), an IPv6
 * address by its /64 network (one subscriber usually holds a whole /64,
 * so counting single IPv6 addresses would give one attacker 2⁶⁴ budgets),
 * and any other id from `getClientId` as it is (or its SHA-256 when
 * longer than 200 characters).
 */
export function clientBucket(clientId: string): string {
  const id = clientId.startsWith('::ffff:') && isIPv4(clientId.slice(7)) ? clientId.slice(7) : clientId;
  if (isIPv4(id)) return id;
  if (isIPv6(id) && !id.includes('.')) return `${expandIPv6(id.split('%')[0] as string).slice(0, 4).join(':')}::/64`;
  return id.length === 0 ? 'unknown' : id.length > MAX_PLAIN_LENGTH ? `sha256:${hash('sha256', id, 'base64url')}` : id;
}
