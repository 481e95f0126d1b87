// Service discovery on the wire: an mDNS query and answer (RFC 6762, DNS messages to
// 224.0.0.251:5353) and an SSDP search and reply (UPnP 1.1, HTTP over UDP to
// 239.255.255.250:1900). No message carries an address: names only, so a published capture
// with payloads kept leaks nothing the anonymizer cannot see.

export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;
export const SSDP_GROUP = '239.255.255.250';
export const SSDP_PORT = 1900;

const SERVICES_NAME = '_services._dns-sd._udp.local';

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** A one-question mDNS query (id 0, PTR, class IN) for the service list. */
export function mdnsQuery(): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(12, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(SERVICES_NAME), tail]);
}

/** True for an mDNS query (QR bit clear), as opposed to an answer. */
export function isMdnsQuery(message: Buffer): boolean {
  return message.length >= 12 && (message[2] & 0x80) === 0;
}

/** An mDNS answer: the host offers _http._tcp (PTR record, TTL 4500 as RFC 6762 recommends). */
export function mdnsAnswer(host: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x8400, 2);
  header.writeUInt16BE(1, 6);
  const rdata = encodeName(`${host}._http._tcp.local`);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(12, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(4500, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([header, encodeName(SERVICES_NAME), fixed, rdata]);
}

export function ssdpSearch(): Buffer {
  return Buffer.from(`M-SEARCH * HTTP/1.1\r\nHOST: ${SSDP_GROUP}:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n`, 'ascii');
}

export function isSsdpSearch(message: Buffer): boolean {
  return message.subarray(0, 8).toString('ascii') === 'M-SEARCH';
}

export function ssdpReply(host: string): Buffer {
  return Buffer.from(
    `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://${host}.local/description.xml\r\nSERVER: Linux/6 UPnP/1.1 scanlab/1\r\nST: upnp:rootdevice\r\nUSN: uuid:${host}::upnp:rootdevice\r\n\r\n`,
    'ascii',
  );
}
