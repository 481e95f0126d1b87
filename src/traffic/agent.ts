// The traffic agent: runs inside one host's namespace (started by traffic/generators.ts) and
// plays its benign sessions as seeded Poisson processes until SIGTERM. Prints an "activity" JSON
// line every second with session counts, bytes and failures per kind.

import dgram from 'node:dgram';
import type { AgentPlan } from './plan.ts';
import { runSession } from './sessions.ts';
import { seededRandom, exponential, deriveSeed } from './random.ts';

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
  while (!stopping) {
    const result = await runSession(session, random, plan.sshKey, streamSocket);
    c.sessions++;
    c.bytes += result.bytes;
    if (!result.ok) c.failures++;
    await new Promise((r) => setTimeout(r, gap()));
  }
}

const report = setInterval(() => process.stdout.write(`${JSON.stringify({ type: 'activity', host: plan.host, counters })}\n`), 1000);
process.stdout.write(`${JSON.stringify({ type: 'ready', host: plan.host })}\n`);
plan.sessions.forEach((_, i) => void loop(i));

function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(report);
  process.stdout.write(`${JSON.stringify({ type: 'final', host: plan.host, counters })}\n`);
  for (const s of sinks) s.close();
  streamSocket.close();
  setTimeout(() => process.exit(0), 50);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
