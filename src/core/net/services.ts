/**
 * The system's name databases that tools like netstat consult, read as
 * files: /etc/services and /etc/protocols here, /etc/hosts and /etc/networks
 * in hosts.ts. No network lookups are ever made (no DNS, no NIS): a number
 * that these files do not name stays a number.
 *
 * The directory they are read from is the etc root of core/base/paths
 * (`setEtcPath`, or the PTOOLS_ETC_PATH environment variable) so tests can
 * use fixture files.
 */
import { isErrnoError } from '../../native/index.js';
import { ParseError } from '../base/errors.js';
import { etcPath } from '../base/paths.js';
import { readText } from '../base/read.js';

const cache = new Map<string, unknown>();

/** The file's text, or '' when it is missing or unreadable (as the C library treats an absent database). */
export function readEtc(name: string): string {
  try {
    return readText(etcPath(name));
  } catch (e) {
    if (isErrnoError(e)) return '';
    throw e;
  }
}

/** A table read once from a file in the etc directory and kept (per file path: another etc root reads afresh) until clearEtcCache(). */
export function etcTable<T>(name: string, parse: (text: string) => T): T {
  const key = `${etcPath(name)}\0${parse.name}`;
  if (cache.has(key)) return cache.get(key) as T;
  const t = parse(readEtc(name));
  cache.set(key, t);
  return t;
}

/** Drops the cached tables (after the files changed). */
export function clearEtcCache(): void {
  cache.clear();
}

/** One service: /etc/services' `name port/proto aliases...`. */
export interface ServiceEntry {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly aliases: readonly string[];
}

function stripComment(line: string): string {
  const h = line.indexOf('#');
  return (h < 0 ? line : line.slice(0, h)).trim();
}

/**
 * /etc/services, in file order. Lines that are not `name port/proto` (a
 * typo, a port out of range) are skipped, as the C library's parser skips
 * them; text that is not a services file at all (a NUL byte) is an error.
 */
export function parseServices(text: string): ServiceEntry[] {
  if (text.includes('\0')) throw new ParseError('services', 'binary data');
  const out: ServiceEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = stripComment(raw);
    if (line === '') continue;
    const t = line.split(/\s+/);
    if (t.length < 2) continue;
    const m = /^(\d+)\/(\S+)$/.exec(t[1]!);
    if (!m) continue;
    const port = Number(m[1]);
    if (port > 65535) continue;
    out.push({ name: t[0]!, port, protocol: m[2]!, aliases: t.slice(2) });
  }
  return out;
}

/** One protocol: /etc/protocols' `name number aliases...`. */
export interface ProtocolEntry {
  readonly name: string;
  readonly number: number;
  readonly aliases: readonly string[];
}

/** /etc/protocols, in file order (malformed lines skipped). */
export function parseProtocols(text: string): ProtocolEntry[] {
  if (text.includes('\0')) throw new ParseError('protocols', 'binary data');
  const out: ProtocolEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = stripComment(raw);
    if (line === '') continue;
    const t = line.split(/\s+/);
    if (t.length < 2 || !/^\d+$/.test(t[1]!)) continue;
    const number = Number(t[1]);
    if (number > 255) continue;
    out.push({ name: t[0]!, number, aliases: t.slice(2) });
  }
  return out;
}

/**
 * port → name for one protocol, as net-tools builds it: the entries are
 * pushed on a list and the list searched from its head, so for a port named
 * twice the LAST entry in the file wins. For 'raw', the protocols of
 * /etc/protocols come after the services (protocol number as port).
 */
export function portNameTable(services: readonly ServiceEntry[], protocol: string, protocols: readonly ProtocolEntry[] = []): Map<number, string> {
  const m = new Map<number, string>();
  for (const s of services) if (s.protocol === protocol) m.set(s.port, s.name);
  if (protocol === 'raw') for (const p of protocols) m.set(p.number, p.name);
  return m;
}

function serviceTables(text: string): Map<string, Map<number, string>> {
  const services = parseServices(text);
  const protocols = parseProtocols(readEtc('protocols'));
  const out = new Map<string, Map<number, string>>();
  for (const proto of ['tcp', 'udp', 'raw']) out.set(proto, portNameTable(services, proto, protocols));
  return out;
}

/**
 * The service name of a port for 'tcp', 'udp' or 'raw' (raw: the IP
 * protocol name), from /etc/services (and /etc/protocols); null when the
 * files do not name it, or for any other protocol (net-tools names only
 * these three).
 */
export function serviceName(port: number, protocol: string): string | null {
  const t = etcTable('services', serviceTables).get(protocol);
  return t?.get(port) ?? null;
}
