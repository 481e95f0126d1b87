// The other end of the hard negatives: what a p2p peer or a discoverable device answers. Each
// reply is reported as a flow like any other socket the agent uses.

import dgram from 'node:dgram';
import type { FlowReporter } from './flow-reporter.ts';
import type { Random } from '../util/seeded-random.ts';
import { MDNS_GROUP, MDNS_PORT, SSDP_GROUP, SSDP_PORT, isMdnsQuery, isSsdpSearch, mdnsAnswer, ssdpReply } from './discovery-messages.ts';

type Count = (bytes: number) => void;

/** A reply sent once per remote address and port is one flow: report it the first time. */
function flowOnce(flows: FlowReporter, localPort: number) {
  const seen = new Set<string>();
  return (remote: string, remotePort: number) => {
    const key = `${remote}:${remotePort}`;
    if (seen.has(key)) return;
    seen.add(key);
    flows.open('udp', localPort, remote, remotePort);
  };
}

/** A p2p peer answers each query on its socket with one or two datagrams (nodes and values). */
export function answerP2p(socket: dgram.Socket, port: number, random: Random, flows: FlowReporter, count: Count): void {
  const report = flowOnce(flows, port);
  socket.on('message', (message, from) => {
    count(message.length);
    if (!message.includes('1:y1:q')) return; // an answer to our own query
    report(from.address, from.port);
    const replies = random() < 0.3 ? 2 : 1;
    for (let i = 0; i < replies; i++) {
      const reply = Buffer.alloc(100 + Math.floor(random() * 300), 0x20);
      reply.write('d1:rd2:id20:', 'ascii');
      reply.write('e1:y1:re', reply.length - 8, 'ascii');
      socket.send(reply, from.port, from.address);
    }
  });
}

/** Binds a UDP socket to a well-known port shared with other sockets of the host (reuseAddr), joined to a group on the host's own interface. */
export function multicastSocket(port: number, group: string | undefined, address: string): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.once('error', reject);
    socket.bind(port, () => {
      socket.setMulticastInterface(address);
      socket.setMulticastLoopback(false);
      socket.setMulticastTTL(255);
      if (group) socket.addMembership(group, address);
      resolve(socket);
    });
  });
}

/** A device answers an mDNS query to the group after 20-120 ms (RFC 6762 section 6). */
export function answerMdns(socket: dgram.Socket, host: string, random: Random, flows: FlowReporter, count: Count): void {
  let reported = false;
  socket.on('message', (message) => {
    count(message.length);
    if (!isMdnsQuery(message)) return;
    if (!reported) {
      reported = true;
      flows.open('udp', MDNS_PORT, MDNS_GROUP, MDNS_PORT);
    }
    setTimeout(() => socket.send(mdnsAnswer(host), MDNS_PORT, MDNS_GROUP), 20 + random() * 100);
  });
}

/** A UPnP device answers an SSDP search by unicast, at a random moment within the search's MX (1 s). */
export function answerSsdp(socket: dgram.Socket, host: string, random: Random, flows: FlowReporter, count: Count): void {
  const report = flowOnce(flows, SSDP_PORT);
  socket.on('message', (message, from) => {
    count(message.length);
    if (!isSsdpSearch(message)) return;
    report(from.address, from.port);
    setTimeout(() => socket.send(ssdpReply(host), from.port, from.address), random() * 900);
  });
}

export { SSDP_GROUP, SSDP_PORT, MDNS_GROUP, MDNS_PORT };
