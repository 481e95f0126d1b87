// The traffic agent: runs inside one host's namespace (started by traffic/generators.ts) and
// plays its benign sessions on their seeded schedules until SIGTERM: ordinary sessions as Poisson
// processes, the hard negatives on theirs (traffic/schedule.ts). Answers p2p peers and discovery
// searches when other hosts' traffic asks for it. Prints an "activity" JSON line every second
// with session counts, bytes and failures per kind, and a flow-open/flow-close line for every
// connection or socket it opens (the labels' ground truth).

import dgram from 'node:dgram';
import type { AgentPlan } from './plan.ts';
import { P2P_PORT, STREAM_PORT } from './plan.ts';
import { runSession } from './sessions.ts';
import { deriveSeed } from './random.ts';
import { nextGapMs } from './schedule.ts';
import { ROUNDS, type HardNegativeKind, type RoundContext } from './hard-negatives.ts';
import type { FlowReporter } from './flow-reporter.ts';
import { answerMdns, answerP2p, answerSsdp, multicastSocket, MDNS_GROUP, MDNS_PORT, SSDP_GROUP, SSDP_PORT } from './responders.ts';
import { seededRandom } from '../util/seeded-random.ts';

const REMOTE_PORT: Partial<Record<AgentPlan['sessions'][number]['kind'], number>> = { web: 80, tls: 443, bulk: 80, dns: 53, stream: STREAM_PORT, ssh: 22, ping: 0 };
let flowIds = 0;
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const plan = JSON.parse(Buffer.from(process.argv[2] ?? '', 'base64').toString('utf8')) as AgentPlan;
const counters: Record<string, { sessions: number; bytes: number; failures: number }> = {};
const counter = (kind: string) => (counters[kind] ??= { sessions: 0, bytes: 0, failures: 0 });
const received = (kind: string) => (bytes: number) => {
  const c = counter(kind);
  c.sessions++;
  c.bytes += bytes;
};
let stopping = false;

const flows: FlowReporter = {
  open(protocol, localPort, remote, remotePort) {
    const id = ++flowIds;
    report({ type: 'flow-open', id, host: plan.host, protocol, localPort, remote, remotePort, startMs: Date.now() });
    return id;
  },
  close(id) {
    report({ type: 'flow-close', id, endMs: Date.now() });
  },
};

const sockets: dgram.Socket[] = [];
const sinks = plan.sinks.map((port) => {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => received('stream-in')(message.length));
  socket.bind(port);
  return socket;
});
const streamSocket = dgram.createSocket('udp4');
sockets.push(...sinks, streamSocket);

const responderRandom = seededRandom(deriveSeed(plan.seed, 'responders'));
let p2pSocket: dgram.Socket | undefined;
let mdnsSocket: dgram.Socket | undefined;

/** Binds the sockets this host serves on (and sends from), before the agent says it is ready. */
async function openSharedSockets(): Promise<void> {
  const kinds = new Set(plan.sessions.map((s) => s.kind));
  if (kinds.has('p2p') || plan.responders.includes('p2p')) {
    p2pSocket = await multicastSocket(P2P_PORT, undefined, plan.address);
    answerP2p(p2pSocket, P2P_PORT, responderRandom, flows, received('p2p-in'));
    sockets.push(p2pSocket);
  }
  if (kinds.has('discovery') || plan.responders.includes('mdns')) {
    mdnsSocket = await multicastSocket(MDNS_PORT, plan.responders.includes('mdns') ? MDNS_GROUP : undefined, plan.address);
    if (plan.responders.includes('mdns')) answerMdns(mdnsSocket, plan.host, responderRandom, flows, received('mdns-in'));
    sockets.push(mdnsSocket);
  }
  if (plan.responders.includes('ssdp')) {
    const ssdp = await multicastSocket(SSDP_PORT, SSDP_GROUP, plan.address);
    answerSsdp(ssdp, plan.host, responderRandom, flows, received('ssdp-in'));
    sockets.push(ssdp);
  }
}

const context: RoundContext = {
  address: plan.address,
  flows,
  p2pSocket: () => p2pSocket!,
  mdnsSocket: () => mdnsSocket!,
};

async function loop(index: number): Promise<void> {
  const session = plan.sessions[index];
  const random = seededRandom(deriveSeed(plan.seed, `${index}:${session.kind}`));
  const c = counter(session.kind);
  await new Promise((r) => setTimeout(r, random() * Math.min(session.everyMs, 1000)));
  const protocol = session.kind === 'dns' || session.kind === 'stream' ? 'udp' : 'tcp';
  const remotePort = REMOTE_PORT[session.kind] ?? 0;
  const round = ROUNDS[session.kind as HardNegativeKind];
  let streamOpened = false;
  while (!stopping) {
    let result;
    if (round) {
      result = await round(session, random, context);
    } else {
      let id: number | undefined;
      result = await runSession(session, random, plan.sshKey, streamSocket, (localPort) => {
        // A stream is one long flow on one socket: reported once.
        if (session.kind === 'stream' ? streamOpened : id !== undefined) return;
        streamOpened = true;
        id = flows.open(protocol, localPort, session.target, remotePort);
      });
      if (id !== undefined && session.kind !== 'stream') flows.close(id);
    }
    c.sessions++;
    c.bytes += result.bytes;
    if (!result.ok) c.failures++;
    await new Promise((r) => setTimeout(r, nextGapMs(session.kind, session.everyMs, random)));
  }
}

const activity = setInterval(() => report({ type: 'activity', host: plan.host, counters }), 1000);
openSharedSockets().then(
  () => {
    report({ type: 'ready', host: plan.host });
    plan.sessions.forEach((_, i) => void loop(i));
  },
  (error: Error) => {
    process.stderr.write(`cannot open the agent's sockets: ${error.message}\n`);
    process.exit(1);
  },
);

function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(activity);
  report({ type: 'final', host: plan.host, counters });
  for (const s of sockets) s.close();
  setTimeout(() => process.exit(0), 50);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
