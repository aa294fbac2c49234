import { SocketAddress } from 'node:net';
import { clientBucket } from '../../src/rate-limit/client-bucket';
import { SignInThrottle } from '../../src/admin/session/sign-in-throttle';

// Attacks on the sign-in throttle's client key: every spelling of one IPv6
// address or /64 network, and of one IPv4 address written as IPv4-mapped
// IPv6, must land in the same bucket, or an attacker who can choose the
// spelling (a `getClientId` reading a forwarded header) multiplies their
// budget.

describe('clientBucket: one bucket per address or /64, however it is spelled', () => {
  it.each<[string, readonly string[]]>([
    ['2001:db8::1', ['2001:0db8:0:0::1', '2001:DB8::1', '2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8:0:0:0:0:0:1', '2001:db8::1%eth0']],
    ['2001:db8::1 (the rest of its /64)', ['2001:db8::ffff:ffff:ffff:ffff', '2001:db8::abcd:0:0:1', '2001:db8:0:0:1::', '2001:db8::1.2.3.4', '2001:db8:0:0:0:0:1.2.3.4', '2001:db8::ffff:1.2.3.4']],
    ['1.2.3.4', ['::ffff:1.2.3.4', '::FFFF:1.2.3.4', '0:0:0:0:0:ffff:1.2.3.4', '0000:0000:0000:0000:0000:ffff:1.2.3.4', '0::ffff:1.2.3.4', '::ffff:0102:0304', '::ffff:102:304', '::FFFF:102:304']],
  ])('%s', (canonical, spellings) => {
    const bucket = clientBucket(canonical.split(' ')[0] as string);
    for (const spelling of spellings) expect([spelling, clientBucket(spelling)]).toEqual([spelling, bucket]);
  });

  it('keeps another /64, and another IPv4 address, apart', () => {
    expect(clientBucket('2001:db8:0:1::1')).not.toBe(clientBucket('2001:db8::1'));
    expect(clientBucket('::ffff:1.2.3.5')).not.toBe(clientBucket('1.2.3.4'));
    // IPv4-compatible (::1.2.3.4, deprecated) and NAT64 (64:ff9b::1.2.3.4) are IPv6 addresses, counted by their /64.
    expect(clientBucket('::1.2.3.4')).toBe('0000:0000:0000:0000::/64');
    expect(clientBucket('64:ff9b::1.2.3.4')).toBe('0064:ff9b:0000:0000::/64');
  });

  it('agrees with Node’s own canonical form (inet_pton, then inet_ntop) on 2000 random spellings', () => {
    let seed = 19;
    const random = (below: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    for (let n = 0; n < 2000; n += 1) {
      // Few distinct values, many zeros: runs to compress, and now and then an IPv4-mapped address.
      const groups = Array.from({ length: 8 }, () => [0, 0, 0, 1, 0xffff, 0xdb8, random(65_536)][random(7)] as number);
      if (random(4) === 0) groups.splice(0, 6, 0, 0, 0, 0, 0, 0xffff);
      const texts = groups.map((group) => {
        const hex = group.toString(16).padStart(random(2) === 0 ? 4 : 1, '0');
        return random(2) === 0 ? hex.toUpperCase() : hex;
      });
      const start = random(8);
      const end = start + random(8 - start) + 1;
      const compressible = groups.slice(start, end).every((group) => group === 0);
      let spelling = compressible ? `${texts.slice(0, start).join(':')}::${texts.slice(end).join(':')}` : texts.join(':');
      if (random(3) === 0 && !spelling.endsWith('::')) {
        const low = groups[7] as number;
        const high = groups[6] as number;
        const dotted = `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
        const parts = texts.slice(0, 6).join(':');
        spelling = `${parts}:${dotted}`;
      }
      const canonical = new SocketAddress({ address: spelling, family: 'ipv6' }).address;
      expect([spelling, clientBucket(spelling)]).toEqual([spelling, clientBucket(canonical)]);
      expect(clientBucket(canonical)).toMatch(/^(\d{1,3}\.){3}\d{1,3}$|^([0-9a-f]{4}:){4}:\/64$/);
    }
  });

  it('gives an attacker cycling the spellings of one address no more attempts than one client gets', async () => {
    const throttle = new SignInThrottle({ perClientPerMinute: 3, globalPerMinute: 1000 });
    const spellings = ['2001:db8::1', '2001:0db8:0:0::1', '2001:db8::1.2.3.4', '2001:DB8:0:0:0:0:0:2', '2001:db8::ffff:1.2.3.4', '2001:db8:0:0::9%en0'];
    const allowed = [];
    for (const spelling of spellings) allowed.push((await throttle.attempt(spelling, 'costly')).allowed);
    expect(allowed).toEqual([true, true, true, false, false, false]);
    const mapped = ['198.51.100.7', '::ffff:198.51.100.7', '::FFFF:c633:6407', '0:0:0:0:0:ffff:198.51.100.7'];
    const mappedAllowed = [];
    for (const spelling of mapped) mappedAllowed.push((await throttle.attempt(spelling, 'costly')).allowed);
    expect(mappedAllowed).toEqual([true, true, true, false]);
  });
});
