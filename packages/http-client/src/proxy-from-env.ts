import type * as Net from 'node:net';
import { HttpClientError } from './errors.js';
import { isLoopbackHost } from './loopback.js';
import { displayUrl } from './redact.js';

// The proxy for a request, as Go's http.ProxyFromEnvironment decides it (cosign's, and every
// Go tool's behind a corporate proxy): HTTPS_PROXY for https URLs and HTTP_PROXY for http
// ones (upper case first, then lower), never for localhost or a loopback address, and not
// for hosts NO_PROXY names: `*`, IPs and CIDRs, domains (`example.com` also covers its
// subdomains, `.example.com` only them), each with an optional port.

type Env = Readonly<Record<string, string | undefined>>;

// node:net, and the socket machinery it loads, is taken when an address is first compared: a
// command that never reads NO_PROXY (an offline verify-blob) does not load it (about 1 ms).
let net: typeof Net | undefined;
const isIPv4 = (text: string): boolean => (net ??= process.getBuiltinModule('node:net')).isIPv4(text);
const isIPv6 = (text: string): boolean => (net ??= process.getBuiltinModule('node:net')).isIPv6(text);

export function proxyFor(target: URL, env: Env = process.env): URL | undefined {
  const setting = target.protocol === 'https:' ? first(env, 'HTTPS_PROXY', 'https_proxy') : target.protocol === 'http:' ? first(env, 'HTTP_PROXY', 'http_proxy') : undefined;
  if (setting === undefined) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || isLoopbackHost(target.hostname) || isLoopbackIp(host)) return undefined;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (bypassed(host, port, first(env, 'NO_PROXY', 'no_proxy') ?? '')) return undefined;
  return parseProxy(setting);
}

function first(env: Env, upper: string, lower: string): string | undefined {
  const value = env[upper] || env[lower];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A proxy URL, with http:// assumed when it has no scheme (as Go); http and https proxies only. */
function parseProxy(setting: string): URL {
  const parse = (text: string) => {
    try {
      const url = new URL(text);
      return url.host === '' ? undefined : url;
    } catch {
      return undefined;
    }
  };
  const url = parse(setting) ?? parse(`http://${setting}`);
  if (url === undefined || url.host === '') {
    throw new HttpClientError('HTTP_REQUEST_INVALID', 'proxy: expected a URL in HTTPS_PROXY or HTTP_PROXY, found one that does not parse', { hint: 'Set it as http://HOST:PORT.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `proxy ${displayUrl(url)}: expected an http or https proxy, found the scheme ${url.protocol}`, {
      hint: 'SOCKS proxies are not supported; use an HTTP proxy that answers CONNECT.',
    });
  }
  return url;
}

function bypassed(host: string, port: string, noProxy: string): boolean {
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const { name, port: wanted } = splitHostPort(entry);
    if (name === '' || (wanted !== '' && wanted !== port)) continue;
    if (isIPv4(name) || isIPv6(name)) {
      if (sameIp(name, host)) return true;
      continue;
    }
    // foo.com matches foo.com and bar.foo.com; .foo.com and *.foo.com only the subdomains.
    const exactToo = !name.startsWith('.') && !name.startsWith('*.');
    const suffix = (name.startsWith('*.') ? name.slice(1) : name.startsWith('.') ? name : `.${name}`).replace(/\.$/, '');
    if (host.endsWith(suffix) || (exactToo && host === suffix.slice(1))) return true;
  }
  return false;
}

function splitHostPort(entry: string): { name: string; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, port: bracketed[2] ?? '' };
  const colon = entry.lastIndexOf(':');
  // One colon: host:port; more: a bare IPv6 address.
  if (colon > 0 && entry.indexOf(':') === colon) return { name: entry.slice(0, colon), port: entry.slice(colon + 1) };
  return { name: entry, port: '' };
}

function isLoopbackIp(host: string): boolean {
  return (isIPv4(host) && host.startsWith('127.')) || (isIPv6(host) && ipBytes(host)?.every((b, i) => b === (i === 15 ? 1 : 0)) === true);
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(host: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/') as [string, string];
  const net = ipBytes(network);
  const ip = ipBytes(host);
  const bits = Number(bitsText);
  if (!net || !ip || net.length !== ip.length || !/^\d{1,3}$/.test(bitsText) || bits > net.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((net[i >> 3]! & mask) !== (ip[i >> 3]! & mask)) return false;
  }
  return true;
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address, or undefined. */
function ipBytes(text: string): number[] | undefined {
  if (isIPv4(text)) return text.split('.').map(Number);
  if (!isIPv6(text)) return undefined;
  // new URL normalises an IPv6 literal to its compressed hex groups (IPv4 tails included).
  const groups = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail] = groups.includes('::') ? groups.split('::') : [groups, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
