import { hash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** The longest client id kept as it is; longer ones are replaced by their SHA-256. */
const MAX_PLAIN_LENGTH = 200;

/**
 * The eight 16-bit groups of an IPv6 address that `isIPv6` accepted, in any
 * spelling: leading zeros or not, upper or lower case, `::` anywhere, a
 * dotted IPv4 tail (`2001:db8::1.2.3.4`), a zone (`%eth0`, dropped).
 */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] as string;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = Math.max(0, 8 - left.length - right.length);
  return [...left, ...Array.from({ length: missing }, () => '0'), ...right].map((group) => Number.parseInt(group, 16));
}

/** An IPv4-mapped address (`::ffff:0:0/96`) as its IPv4 address, else `undefined`. */
function mappedIPv4(groups: readonly number[]): string | undefined {
  if (!groups.slice(0, 5).every((group) => group === 0) || groups[5] !== 0xffff) return undefined;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * The bucket a client's sign-in attempts are counted in: an IPv4 address
 * as it is, an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, however
 * spelled) as its IPv4 address, any other IPv6 address by its /64 network
 * (one subscriber usually holds a whole /64, so counting single IPv6
 * addresses would give one attacker 2⁶⁴ budgets), and any other id from
 * `getClientId` as it is (or its SHA-256 when longer than 200 characters).
 * Every spelling of one IPv6 address or network (case, leading zeros,
 * `::`, a dotted tail, a zone) lands in the same bucket.
 */
export function clientBucket(clientId: string): string {
  if (isIPv4(clientId)) return clientId;
  if (isIPv6(clientId)) {
    const groups = ipv6Groups(clientId);
    return mappedIPv4(groups) ?? `${groups.slice(0, 4).map((group) => group.toString(16).padStart(4, '0')).join(':')}::/64`;
  }
  return clientId.length === 0 ? 'unknown' : clientId.length > MAX_PLAIN_LENGTH ? `sha256:${hash('sha256', clientId, 'base64url')}` : clientId;
}
