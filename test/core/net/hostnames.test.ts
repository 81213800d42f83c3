/** core/hostnames: who --lookup's canonical names, on a fixture hosts file and vs the C library (python's socket). */
import { fixturePath } from '../../helpers/fixtures.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalFromHosts, canonicalHost, reverseHost } from '../../../src/core/net/hostnames.js';
import { parseHosts } from '../../../src/core/net/hosts.js';
import { getEtcPath, setEtcPath } from '../../../src/core/base/paths.js';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { PYTHON } from '../../helpers/oracle.js';

const FIX = fixturePath('hostnames');

describe('canonicalFromHosts', () => {
  const entries = parseHosts(readFileSync(join(FIX, 'hosts'), 'utf8'));
  it('the official name of the first line naming the host, names compared without case', () => {
    expect(canonicalFromHosts(entries, 'box')).toBe('Box.Example.org');
    expect(canonicalFromHosts(entries, 'BOX.example.ORG')).toBe('Box.Example.org');
    expect(canonicalFromHosts(entries, 'www2')).toBe('web.example.test');
    expect(canonicalFromHosts(entries, 'router.link')).toBe('router.link');
    expect(canonicalFromHosts(entries, 'bogus')).toBeNull();
    expect(canonicalFromHosts(entries, 'comment')).toBeNull();
    expect(canonicalFromHosts(entries, 'nothere')).toBeNull();
  });
});

describe('canonicalHost / reverseHost on the fixture hosts file', () => {
  const saved = getEtcPath();
  afterEach(() => setEtcPath(saved));
  it('forward: hosts first, numeric hosts are their own name, unknown names null', async () => {
    setEtcPath(FIX);
    expect(await canonicalHost('WWW')).toBe('web.example.test');
    expect(await canonicalHost('192.0.2.99')).toBe('192.0.2.99');
    expect(await canonicalHost('2001:db8::1')).toBe('2001:db8::1');
    expect(await canonicalHost('')).toBeNull();
    // .invalid never resolves (RFC 6761); with no network here DNS fails too.
    expect(await canonicalHost('nonexistent.invalid')).toBeNull();
  });
  it('reverse: the first line with the address, else DNS, else null', async () => {
    setEtcPath(FIX);
    expect(await reverseHost('192.0.2.10')).toBe('web.example.test');
    expect(await reverseHost('::1')).toBe('ip6-localhost');
    // The files source compares within one family (hosts.ts); who --ips never
    // asks for a mapped address anyway (it prints its IPv4 tail).
    expect(await reverseHost('::ffff:127.0.1.1')).toBeNull();
    expect(await reverseHost('not an address')).toBeNull();
    expect(await reverseHost('192.0.2.250')).toBeNull();
  });
});

describe('vs the C library on this machine (/etc/hosts, nsswitch "files dns")', () => {
  const py = (code: string): unknown => JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' }));
  it("canonicalHost is getaddrinfo(AI_CANONNAME)'s name for every name in /etc/hosts", async () => {
    const names = parseHosts(readFileSync('/etc/hosts', 'utf8')).flatMap((e) => e.names);
    const upper = names.map((n) => n.toUpperCase());
    const all = [...names, ...upper];
    const theirs = py(`
import json, socket
out = []
for n in ${JSON.stringify(all)}:
    try:
        out.append(socket.getaddrinfo(n, None, 0, 0, 0, socket.AI_CANONNAME)[0][3])
    except OSError:
        out.append(None)
print(json.dumps(out))`) as (string | null)[];
    const ours = await Promise.all(all.map((n) => canonicalHost(n)));
    expect(ours).toEqual(theirs);
  });
  it('reverseHost is getnameinfo(NI_NAMEREQD) for the addresses in /etc/hosts', async () => {
    const addrs = [...new Set(parseHosts(readFileSync('/etc/hosts', 'utf8')).filter((e) => e.family === 4).map((e) => e.address.join('.')))];
    const theirs = py(`
import json, socket
out = []
for a in ${JSON.stringify(addrs)}:
    try:
        out.append(socket.getnameinfo((a, 0), socket.NI_NAMEREQD)[0])
    except OSError:
        out.append(None)
print(json.dumps(out))`) as (string | null)[];
    expect(await Promise.all(addrs.map((a) => reverseHost(a)))).toEqual(theirs);
  });
});
