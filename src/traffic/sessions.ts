// One benign session of each kind, as a real client would make it. Each resolves with the bytes
// it moved and never throws: a failed session is counted, not fatal. Each reports the local port
// it opened (`onOpen`) as soon as it is known: ground truth for telling benign connections of an
// attacking host from its scan.

import http from 'node:http';
import https from 'node:https';
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import type { SessionPlan } from './plan.ts';
import { STREAM_PORT } from './plan.ts';
import { dnsQuery } from './dns-query.ts';
import type { Random } from '../util/seeded-random.ts';

export interface SessionResult {
  readonly ok: boolean;
  readonly bytes: number;
}

const PAGES = ['/', '/index.html', '/', '/missing.html'];
const WORDS = ['www', 'mail', 'files', 'media', 'cdn', 'api', 'news', 'video', 'music', 'shop'];
const LAB_ZONE = 'lab.test';

export type OnOpen = (localPort: number) => void;

/** The host part of a URL: an IPv6 address goes in brackets. */
const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

export function fetch(client: typeof http | typeof https, url: string, onOpen: OnOpen, headers: Record<string, string> = {}): Promise<SessionResult> {
  return new Promise((resolve) => {
    const request = client.get(url, { agent: false, headers, timeout: 5000, rejectUnauthorized: false } as https.RequestOptions, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ ok: true, bytes }));
      response.on('error', () => resolve({ ok: false, bytes }));
    });
    request.on('socket', (socket) => socket.once('connect', () => onOpen(socket.localPort!)));
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ ok: false, bytes: 0 }));
  });
}

/** A page a web client asks for (one in four is missing: a 404, as real browsing has). */
export function pickPage(random: Random): string {
  return PAGES[Math.floor(random() * PAGES.length)];
}

/** A stub resolver's question: a name in the lab zone, its id, A four times in five. */
export function dnsQuestion(random: Random): { name: string; id: number; type: 'A' | 'AAAA' } {
  const name = `${WORDS[Math.floor(random() * WORDS.length)]}${Math.floor(random() * 20)}.${LAB_ZONE}`;
  const id = Math.floor(random() * 65536);
  return { name, id, type: random() < 0.8 ? 'A' : 'AAAA' };
}

function dnsLookup(target: string, random: Random, onOpen: OnOpen): Promise<SessionResult> {
  const { name, id, type } = dnsQuestion(random);
  return lookup(target, name, type, id, onOpen);
}

/** One DNS query from a fresh socket (a fresh source port, as stub resolvers do); waits 1 s for the answer. */
export function lookup(target: string, name: string, type: 'A' | 'AAAA', id: number, onOpen: OnOpen): Promise<SessionResult> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(target.includes(':') ? 'udp6' : 'udp4');
    const query = dnsQuery(id, name, type);
    const done = (ok: boolean, bytes: number) => {
      clearTimeout(timer);
      socket.close();
      resolve({ ok, bytes });
    };
    const timer = setTimeout(() => done(false, 0), 1000);
    socket.on('message', (message) => done(true, message.length));
    socket.on('error', () => done(false, 0));
    socket.send(query, 53, target, () => onOpen(socket.address().port));
  });
}

function run(command: string, args: string[]): Promise<SessionResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout) => resolve({ ok: !error, bytes: stdout.length }));
  });
}

export function runSession(plan: SessionPlan, random: Random, sshKey: string | undefined, stream: dgram.Socket, onOpen: OnOpen): Promise<SessionResult> {
  switch (plan.kind) {
    case 'web':
      return fetch(http, `http://${urlHost(plan.target)}${pickPage(random)}`, onOpen);
    case 'tls':
      return fetch(https, `https://${urlHost(plan.target)}/`, onOpen);
    case 'bulk':
      return fetch(http, `http://${urlHost(plan.target)}/bulk.bin`, onOpen, { range: `bytes=0-${(plan.size ?? 2_000_000) - 1}` });
    case 'dns':
      return dnsLookup(plan.target, random, onOpen);
    case 'ping':
      return run('ping', ['-n', '-c', '1', '-W', '1', plan.target]);
    case 'ssh':
      return run('ssh', ['-i', sshKey ?? '', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
        '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=3', `root@${plan.target}`, 'uname -a']);
    case 'stream':
      return new Promise((resolve) => {
        const datagram = Buffer.alloc(plan.size ?? 1200, 0x5a);
        stream.send(datagram, STREAM_PORT, plan.target, (error) => {
          if (!error) onOpen(stream.address().port);
          resolve({ ok: !error, bytes: datagram.length });
        });
      });
    default:
      // The hard negatives are rounds of their own (traffic/hard-negatives.ts).
      throw new Error(`runSession has no ${plan.kind} session`);
  }
}
