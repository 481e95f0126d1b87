// A minimal DNS query packet (RFC 1035): one question, recursion desired.

export function dnsQuery(id: number, name: string, type: 'A' | 'AAAA' = 'A'): Buffer {
  const labels = name.split('.').filter(Boolean);
  const question = Buffer.alloc(labels.reduce((n, l) => n + l.length + 1, 1) + 4);
  let o = 0;
  for (const label of labels) {
    question[o++] = label.length;
    o += question.write(label, o, 'ascii');
  }
  question[o++] = 0;
  question.writeUInt16BE(type === 'A' ? 1 : 28, o);
  question.writeUInt16BE(1, o + 2);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, question]);
}
