// The alert readers, against files written to each format's documented shape. Suricata and Zeek
// do not install on this machine (Debian 12 without backports has neither as a package scanlab's
// setup may add), so their outputs here are written by hand after their documentation: Suricata's
// "Eve JSON Format" page (docs.suricata.io) and Zeek's notice.log / ASCII writer description
// (docs.zeek.org), with the notices of ncsa/bro-simple-scan. p0f is tested for real elsewhere.
import { describe, expect, test } from 'vitest';
import { readScanlabCsv } from '../../../src/detect/external/formats/scanlab-csv.ts';
import { readSuricataEve, parseEveTimestamp } from '../../../src/detect/external/formats/suricata-eve.ts';
import { readZeekNotice } from '../../../src/detect/external/formats/zeek-notice.ts';
import { formatFor } from '../../../src/detect/external/formats/index.ts';
import { UserError } from '../../../src/errors.ts';

function errorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('scanlab-csv', () => {
  test('per packet: no,score,flagged (what analyze --emit-scores writes)', () => {
    const alerts = readScanlabCsv('no,score,flagged\n1,0.25,0\n2,inf,1\r\n3,-inf,0\n', 'a.csv');
    expect(alerts.map((a) => [a.packetNo, a.score, a.flagged])).toEqual([[1, 0.25, false], [2, Infinity, true], [3, -Infinity, false]]);
    expect(alerts[1].where).toBe('a.csv line 3');
  });

  test('per packet without flagged: every listed packet is an alert', () => {
    expect(readScanlabCsv('no,score\n7,3\n', 'a.csv')).toEqual([{ packetNo: 7, score: 3, flagged: undefined, where: 'a.csv line 2' }]);
  });

  test('per event: time,src,dst with optional ports, protocol and score', () => {
    const alerts = readScanlabCsv('time,src,dst,sport,dport,proto,score\n1700000000.5,198.18.0.66,198.18.0.10,40000,22,TCP,0.9\n1700000001,198.18.0.66,198.18.0.10,,,ICMP,1\n', 'e.csv');
    expect(alerts[0]).toMatchObject({ time: 1700000000.5, src: '198.18.0.66', dst: '198.18.0.10', sport: 40000, dport: 22, proto: 'tcp', score: 0.9 });
    expect(alerts[1]).toMatchObject({ sport: undefined, dport: undefined, proto: 'icmp' });
    expect(readScanlabCsv('time,src,dst\n5,a,b\n', 'e.csv')[0]).toMatchObject({ time: 5, src: 'a', dst: 'b', score: undefined });
  });

  test.each([
    ['no,score\n1,abc\n', 'e.csv line 2: "abc" is not a score'],
    ['no,score\n0,1\n', 'e.csv line 2: "0" is not a packet number'],
    ['no,score,flagged\n1,1,yes\n', 'e.csv line 2: flagged must be 0 or 1'],
    ['no,score\n1,1\n2\n', 'e.csv line 3: expected 2 fields'],
    ['time,src,dst\nsoon,a,b\n', 'e.csv line 2: "soon" is not a time'],
    ['time,src,dst,sport\n1,a,b,99999\n', 'e.csv line 2: a port must be'],
    ['time,src,dst,colour\n', 'e.csv line 1: header "time,src,dst,colour" has a column'],
    ['hello\n', 'e.csv line 1: header "hello" is neither shape'],
  ])('a bad file %j names the file and line', (text, message) => {
    expect(errorOf(() => readScanlabCsv(text, 'e.csv')).message).toContain(message);
  });
});

// Lines shaped like the documented EVE alert record (Suricata 7 "Eve JSON Format": event_type
// alert, flow_id, pcap_cnt, src_ip/src_port/dest_ip/dest_port/proto, alert.signature/severity).
const EVE = [
  '{"timestamp":"2023-11-14T22:13:20.123456+0000","flow_id":1676750115612680,"pcap_cnt":17,"event_type":"alert","src_ip":"198.18.0.66","src_port":53211,"dest_ip":"198.18.0.10","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2010937,"rev":3,"signature":"ET SCAN Suspicious inbound to mySQL port 3306","category":"Potentially Bad Traffic","severity":2}}',
  '{"timestamp":"2023-11-14T22:13:21.000001+0000","flow_id":1676750115612680,"event_type":"flow","src_ip":"198.18.0.66","dest_ip":"198.18.0.10","proto":"TCP"}',
  '{"timestamp":"2023-11-14T23:13:21.5+0100","flow_id":9007199254740993,"event_type":"alert","src_ip":"2001:2::66","dest_ip":"2001:2::10","proto":"IPv6-ICMP","icmp_type":128,"icmp_code":0,"alert":{"signature":"GPL ICMP PING","severity":3}}',
  '{"timestamp":"2023-11-14T22:13:22+00:00","event_type":"stats","stats":{"uptime":1}}',
].join('\n');

describe('Suricata EVE JSON', () => {
  test('alert lines become alerts; flow, stats and other event types are skipped', () => {
    const alerts = readSuricataEve(EVE, 'eve.json');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ packetNo: 17, src: '198.18.0.66', sport: 53211, dst: '198.18.0.10', dport: 22, proto: 'tcp', score: 2, what: 'ET SCAN Suspicious inbound to mySQL port 3306', where: 'eve.json line 1' });
    expect(alerts[0].time).toBeCloseTo(1700000000.123456, 6);
    // No pcap_cnt: matched by 5-tuple and time; ICMPv6 named as scanlab names it.
    expect(alerts[1]).toMatchObject({ packetNo: undefined, proto: 'icmpv6', score: 1, where: 'eve.json line 3' });
    expect(alerts[1].time).toBeCloseTo(1700000001.5, 6);
  });

  test('flow_id keeps all 64 bits (JSON numbers would round 9007199254740993)', () => {
    expect(readSuricataEve(EVE, 'eve.json').map((a) => a.flowId)).toEqual(['1676750115612680', '9007199254740993']);
  });

  test('timestamps with and without a colon in the offset, and Z', () => {
    expect(parseEveTimestamp('2023-11-14T22:13:20.5+0000')).toBe(1700000000.5);
    expect(parseEveTimestamp('2023-11-14T23:13:20.5+01:00')).toBe(1700000000.5);
    expect(parseEveTimestamp('2023-11-14T22:13:20Z')).toBe(1700000000);
    expect(parseEveTimestamp('yesterday')).toBeUndefined();
  });

  test('a line that is not JSON, or an alert without a timestamp, names the line', () => {
    expect(errorOf(() => readSuricataEve(`${EVE}\n{"event_type":"alert",`, 'eve.json')).message).toContain('eve.json line 5: not JSON');
    expect(errorOf(() => readSuricataEve('{"event_type":"alert","timestamp":"x"}', 'eve.json')).message).toContain('eve.json line 1: alert without a readable timestamp');
  });
});

// notice.log as Zeek's ASCII writer makes it (header lines, tab-separated, '-' unset), with the
// notices of ncsa/bro-simple-scan; a non-scan notice is skipped.
const NOTICE_TSV = `#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tnotice
#open\t2023-11-14-22-13-20
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tfuid\tfile_mime_type\tfile_desc\tproto\tnote\tmsg\tsub\tsrc\tdst\tp\tn\tpeer_descr\tactions\tsuppress_for
#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tenum\tenum\tstring\tstring\taddr\taddr\tport\tcount\tstring\tset[enum]\tinterval
1700000000.250000\t-\t-\t-\t-\t-\t-\t-\t-\t-\tScan::Port_Scan\t198.18.0.66 scanned at least 15 unique ports of host 198.18.0.10 in 0m1s\tremote\t198.18.0.66\t198.18.0.10\t-\t-\t-\tNotice::ACTION_LOG\t3600.000000
1700000003.000000\tCx1\t198.18.0.20\t40000\t198.18.0.10\t443\t-\t-\t-\ttcp\tSSL::Invalid_Server_Cert\tself signed\t-\t198.18.0.20\t198.18.0.10\t443\t-\t-\tNotice::ACTION_LOG\t3600.000000
1700000009.500000\t-\t-\t-\t-\t-\t-\t-\t-\t-\tScan::Address_Scan\t2001:2::66 scanned at least 25 unique hosts on port 22/tcp in 0m3s\tremote\t2001:2::66\t-\t22/tcp\t-\t-\tNotice::ACTION_LOG\t3600.000000
#close\t2023-11-14-22-14-00
`;

describe('Zeek notice.log', () => {
  test('TSV: scan notices are host-level alerts, src at ts; other notices are skipped', () => {
    const alerts = readZeekNotice(NOTICE_TSV, 'notice.log');
    expect(alerts).toEqual([
      { time: 1700000000.25, src: '198.18.0.66', hostLevel: true, what: 'Scan::Port_Scan', where: 'notice.log line 9' },
      { time: 1700000009.5, src: '2001:2::66', hostLevel: true, what: 'Scan::Address_Scan', where: 'notice.log line 11' },
    ]);
  });

  test('JSON lines, ts as epoch seconds or ISO 8601 (LogAscii::json_timestamps)', () => {
    const text = '{"ts":1700000000.25,"note":"Scan::Random_Scan","msg":"x","src":"198.18.0.66"}\n{"ts":"2023-11-14T22:13:21.500000Z","note":"Scan::Port_Scan","src":"198.18.0.67"}\n{"ts":1,"note":"Weird::Activity"}\n';
    expect(readZeekNotice(text, 'notice.log')).toEqual([
      { time: 1700000000.25, src: '198.18.0.66', hostLevel: true, what: 'Scan::Random_Scan', where: 'notice.log line 1' },
      { time: 1700000001.5, src: '198.18.0.67', hostLevel: true, what: 'Scan::Port_Scan', where: 'notice.log line 2' },
    ]);
  });

  test('a line with the wrong number of fields, or a scan notice without src, names the line', () => {
    expect(errorOf(() => readZeekNotice(`${NOTICE_TSV}1\t2\n`, 'notice.log')).message).toContain('notice.log line 13: 2 fields where #fields names 20');
    expect(errorOf(() => readZeekNotice('{"ts":1,"note":"Scan::Port_Scan"}', 'notice.log')).message).toContain('notice.log line 1: Scan::Port_Scan names no src host');
  });
});

test('format auto picks each format by its first lines', () => {
  expect(formatFor('auto', 'no,score,flagged\n1,0,0')?.name).toBe('scanlab-csv');
  expect(formatFor('auto', EVE)?.name).toBe('suricata-eve');
  expect(formatFor('auto', NOTICE_TSV)?.name).toBe('zeek-notice');
  expect(formatFor('auto', '{"ts":1,"note":"Scan::Port_Scan","src":"a"}')?.name).toBe('zeek-notice');
  expect(formatFor('auto', 'garbage')).toBeUndefined();
});
