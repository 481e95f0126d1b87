// The traffic agent: runs inside one host's namespace (started by traffic/generators.ts) and
// plays its benign sessions as seeded Poisson processes until SIGTERM. Prints an "activity" JSON
// line every second with session counts, bytes and failures per kind.

import dgram from 'node:dgram';
import type { AgentPlan } from './plan.ts';
import { runSession } from './sessions.ts';
import { exponential, deriveSeed } from './random.ts';
import { seededRandom } from '../util/seeded-random.ts';
import { STREAM_PORT } from './plan.ts';

const REMOTE_PORT: Record<AgentPlan['sessions'][number]['kind'], number> = { web: 80, tls: 443, bulk: 80, dns: 53, stream: STREAM_PORT, ssh: 22, ping: 0 };
let flowIds = 0;
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const plan = JSON.parse(Buffer.from(process.argv[2] ?? '', 'base64').toString('utf8')) as AgentPlan;
const counters: Record<string, { sessions: number; bytes: number; failures: number }> = {};
let stopping = false;

const sinks = plan.sinks.map((port) => {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => {
    const c = (counters['stream-in'] ??= { sessions: 0, bytes: 0, failures: 0 });
    c.sessions++;
    c.bytes += message.length;
  });
  socket.bind(port);
  return socket;
});
const streamSocket = dgram.createSocket('udp4');

async function loop(index: number): Promise<void> {
  const session = plan.sessions[index];
  const random = seededRandom(deriveSeed(plan.seed, `${index}:${session.kind}`));
  const c = (counters[session.kind] ??= { sessions: 0, bytes: 0, failures: 0 });
  // Streams are steady (constant rate); other sessions arrive as a Poisson process.
  const gap = () => (session.kind === 'stream' ? session.everyMs : exponential(random, session.everyMs));
  await new Promise((r) => setTimeout(r, random() * Math.min(session.everyMs, 1000)));
  const protocol = session.kind === 'dns' || session.kind === 'stream' ? 'udp' : 'tcp';
  const remotePort = REMOTE_PORT[session.kind];
  let streamOpened = false;
  while (!stopping) {
    const id = ++flowIds;
    let opened = false;
    const result = await runSession(session, random, plan.sshKey, streamSocket, (localPort) => {
      // A stream is one long flow on one socket: reported once.
      if (session.kind === 'stream' ? streamOpened : opened) return;
      opened = streamOpened = true;
      report({ type: 'flow-open', id, host: plan.host, protocol, localPort, remote: session.target, remotePort, startMs: Date.now() });
    });
    if (opened && session.kind !== 'stream') report({ type: 'flow-close', id, endMs: Date.now() });
    c.sessions++;
    c.bytes += result.bytes;
    if (!result.ok) c.failures++;
    await new Promise((r) => setTimeout(r, gap()));
  }
}

const activity = setInterval(() => report({ type: 'activity', host: plan.host, counters }), 1000);
report({ type: 'ready', host: plan.host });
plan.sessions.forEach((_, i) => void loop(i));

function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(activity);
  report({ type: 'final', host: plan.host, counters });
  for (const s of sinks) s.close();
  streamSocket.close();
  setTimeout(() => process.exit(0), 50);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
