import { BlockList, isIP } from 'node:net';

/** Address ranges a webhook may not reach, by the reason given when one is refused. */
const RANGES: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  unspecified: [
    ['0.0.0.0', 8, 'ipv4'],
    ['::', 128, 'ipv6'],
  ],
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  'link-local': [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, shared address space
    ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
    ['198.18.0.0', 15, 'ipv4'], // benchmarking
    ['fec0::', 10, 'ipv6'], // the former site-local
  ],
  'unique-local': [['fc00::', 7, 'ipv6']],
  multicast: [
    ['224.0.0.0', 4, 'ipv4'],
    ['ff00::', 8, 'ipv6'],
  ],
  reserved: [['240.0.0.0', 4, 'ipv4']], // 255.255.255.255 included
};

const LISTS = Object.entries(RANGES).map(([reason, ranges]) => {
  const list = new BlockList();
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type);
  return { reason, list };
});

/**
 * Why a webhook may not connect to `address` (`loopback`, `private`…), or null for a public
 * address. An IPv6 address carrying an IPv4 one (mapped, NAT64, 6to4, compatible) is judged by
 * the IPv4 address inside, so `::ffff:127.0.0.1` is loopback. Not an IP address at all: refused.
 */
export function blockedAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = isIP(bare);
  if (kind === 0) return 'not an IP address';
  if (kind === 6) {
    const inner = embeddedIpv4(bare);
    if (inner) return blockedAddressReason(inner);
  }
  const type = kind === 4 ? 'ipv4' : 'ipv6';
  return LISTS.find(({ list }) => list.check(bare, type))?.reason ?? null;
}

/** The IPv4 address inside an IPv6 one that carries one, else null. */
function embeddedIpv4(v6: string): string | null {
  const b = ipv6Bytes(v6);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12))
    return v4(12); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 6to4
  if (zero(0, 12) && !zero(12, 14)) return v4(12); // IPv4-compatible (deprecated)
  return null;
}

function ipv6Bytes(v6: string): number[] {
  let text = v6.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':').filter(Boolean) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
