import type { IncomingMessage } from 'node:http';

/** The TCP peer's address: the default `AbuseOptions.clientAddress`. */
export function peerAddress(request: IncomingMessage): string | undefined {
  return request.socket.remoteAddress;
}

/**
 * The key per-address limits count against. An IPv6 host usually has a whole /64 to pick
 * addresses from, so IPv6 counts per /64; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, how a
 * dual-stack socket reports IPv4 peers) counts as its IPv4 address. Anything else (a custom
 * `clientAddress` may return any string) is used as it is.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  let a = address.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  if (a.startsWith('::ffff:') && isIPv4(a.slice(7))) return a.slice(7);
  if (!isIPv6(a)) return a;
  return `${ipv6Groups(a).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, as hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string): string[] => {
    if (part === '') return [];
    const groups = part.split(':');
    const last = groups.at(-1) ?? '';
    // An embedded IPv4 address is the last two groups.
    if (isIPv4(last)) {
      const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
      groups.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return groups.map((g) => parseInt(g, 16).toString(16));
  };
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const zeros = Array.from({ length: Math.max(0, 8 - front.length - back.length) }, () => '0');
  return [...front, ...zeros, ...back];
}

const IPV4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);

/**
 * Dotted-decimal IPv4 as Node's `net.isIPv4` reads it (no leading zeros). Written out rather than
 * imported from `node:net` so the binding also runs in a browser (the in-process server).
 */
function isIPv4(address: string): boolean {
  return IPV4.test(address);
}

/** IPv6 without a zone, by the URL standard's IPv6 host parser. */
function isIPv6(address: string): boolean {
  return /^[\da-f:.]+$/i.test(address) && address.includes(':') && URL.canParse(`http://[${address}]/`);
}
