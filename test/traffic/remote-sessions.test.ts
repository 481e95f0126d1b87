// The command lines an SSH host's benign sessions run, checked by running them for real on this
// machine against servers on loopback: curl's reported local port and byte count are what the
// server saw, dig queries from the port it was given, and the seeded draws match the namespace
// agent's (same pages, same names). Kinds without a standard tool have no remote session.

import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REMOTE_TRAFFIC_TOOLS, remoteKindsText, remoteSession, remoteSessionResult } from '../../src/traffic/remote-sessions.ts';
import { dnsQuestion, pickPage } from '../../src/traffic/sessions.ts';
import type { SessionPlan } from '../../src/traffic/plan.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { judgeHost, parseProbe } from '../../src/lab/ssh-preflight.ts';

const run = promisify(execFile);
const plan = (kind: SessionPlan['kind'], target = '127.0.0.1'): SessionPlan => ({ kind, target, targets: [target], everyMs: 1000 });

describe.runIf(existsSync('/usr/bin/curl'))('curl sessions', () => {
  let server: http.Server;
  const seen: { port: number; url: string }[] = [];
  const BODY = 'x'.repeat(1234);
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ port: req.socket.remotePort!, url: req.url! });
      res.end(BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a web session reports the local port the server saw and the bytes it read', async () => {
    const { port } = server.address() as AddressInfo;
    const session = remoteSession(plan('web', `127.0.0.1:${port}`), seededRandom(7), '127.0.0.1');
    expect(session.command).toBe('curl');
    const { stdout } = await run(session.command, session.args);
    const result = remoteSessionResult(session, 0, stdout);
    expect(result).toEqual({ ok: true, bytes: BODY.length, localPort: seen.at(-1)!.port });
    expect(session.flow).toEqual({ protocol: 'tcp', remotePort: 80 });
    // The same page the namespace agent asks for with the same seed
    expect(seen.at(-1)!.url).toBe(pickPage(seededRandom(7)));
  });

  test('a failed fetch is a failure with no port', () => {
    const session = remoteSession(plan('tls'), seededRandom(1), '127.0.0.1');
    expect(session.args).toContain('-k');
    expect(remoteSessionResult(session, 7, '0 0\n')).toEqual({ ok: false, bytes: 0, localPort: undefined });
  });
});

describe.runIf(existsSync('/usr/bin/dig'))('dig sessions', () => {
  test('a dns session asks the seeded question from the source port it was given', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const from = new Promise<number>((resolve) => socket.once('message', (_m, rinfo) => resolve(rinfo.port)));
    const session = remoteSession(plan('dns'), seededRandom(3), '127.0.0.1');
    const args = [...session.args, '-p', String((socket.address() as AddressInfo).port)];
    const dig = run('dig', args).catch((error: { code: number; stdout: string }) => error);
    expect(await from).toBe(session.localPort);
    socket.close();
    const { name, type } = dnsQuestion(seededRandom(3));
    expect(session.args).toEqual(expect.arrayContaining([name, type]));
    // Nobody answered: dig exits 9, a failed session
    const failed = (await dig) as { code?: number; stdout: string };
    expect(remoteSessionResult(session, failed.code ?? 0, failed.stdout).ok).toBe(false);
  });

  test('an answer\'s size is read from dig\'s output', () => {
    const session = remoteSession(plan('dns'), seededRandom(3), '127.0.0.1');
    expect(remoteSessionResult(session, 0, ';; MSG SIZE  rcvd: 61\n')).toEqual({ ok: true, bytes: 61, localPort: session.localPort });
  });
});

describe('what an SSH host can generate', () => {
  test('only kinds with a standard tool; the rest have no remote session', () => {
    expect(remoteKindsText()).toBe('web (curl), tls (curl), bulk (curl), ping (ping), dns (dig)');
    expect(REMOTE_TRAFFIC_TOOLS.stream).toBeUndefined();
    expect(() => remoteSession(plan('stream'), seededRandom(1), '127.0.0.1')).toThrow(/no remote session for stream/);
    expect(remoteSession(plan('ping'), seededRandom(1), '127.0.0.1')).toEqual({ command: 'ping', args: ['-n', '-c', '1', '-W', '1', '127.0.0.1'] });
  });

  test('preflight names each missing traffic tool with the kinds that need it and its package', () => {
    const facts = parseProbe(['mac=02:00:00:00:00:01', 'interfaces=eth0 lo', 'inet=2: eth0    inet 192.168.56.30/24 scope global eth0', 'uid=0', 'tool=ping'].join('\n'));
    const traffic = new Map([['curl', ['web', 'bulk']], ['ping', ['ping']], ['dig', ['dns']]]);
    const { problems } = judgeHost('client', 'root@c', 'eth0', facts, { capture: false, attack: false, traffic });
    expect(problems).toEqual([
      'host client (root@c): curl is not installed (or not on the login PATH), and the web and bulk traffic from client needs it; install it there, e.g. apt-get install curl, or remove that traffic',
      'host client (root@c): dig is not installed (or not on the login PATH), and the dns traffic from client needs it; install it there, e.g. apt-get install bind9-dnsutils, or remove that traffic',
    ]);
  });
});
