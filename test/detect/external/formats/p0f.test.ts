// The p0f log reader, on real p0f output: test/detect/external/fixtures/p0f-lab.log is what
// Debian's p0f 3.09b wrote (TZ=America/New_York) for p0f-lab.pcap, a few seconds cut from a real
// lab run of fixtures/p0f-lab.yaml (make-p0f-fixture.sh says how). The alerts are checked against
// tshark's reading of that same pcap, an independent reader of the packets p0f saw.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { looksLikeP0fLog, readP0fLog } from '../../../../src/detect/external/formats/p0f.ts';
import { UserError } from '../../../../src/errors.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const LOG = readFileSync(join(FIXTURES, 'p0f-lab.log'), 'utf8');
const PCAP = join(FIXTURES, 'p0f-lab.pcap');
const ATTACKER = '198.18.0.11';
const VICTIM = '198.18.0.10';
const CLIENT = '198.18.0.12';
const hasP0f = spawnSync('sh', ['-c', 'command -v p0f']).status === 0;

/** Pure SYNs in the pcap as tshark reads them: 4-tuple, time, window, TCP header length. */
const tsharkSyns = once((): { key: string; time: number; window: number; headerLength: number; src: string }[] => {
  const out = execFileSync('tshark', ['-r', PCAP, '-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'tcp.window_size_value', '-e', 'tcp.hdr_len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.trim().split('\n').map((line) => {
    const [time, src, sport, dst, dport, window, headerLength] = line.split('\t');
    return { key: `${src}/${sport}>${dst}/${dport}`, time: Number(time), window: Number(window), headerLength: Number(headerLength), src };
  });
});

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Runs the body with the process's time zone set to `zone` (Node rereads TZ when it changes). */
function inZone<T>(zone: string, body: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('readP0fLog on a real p0f log of a lab capture', () => {
  let savedTz: string | undefined;
  beforeEach(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'America/New_York'; // the zone p0f wrote the fixture in
  });
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  test('one host-level alert per Nmap fingerprint line, naming the attacker and never the benign client', () => {
    // Given a log where the benign client has lines of its own (SYNs, HTTP requests)
    expect(LOG).toContain(`cli=${CLIENT}/`);
    // When
    const alerts = readP0fLog(LOG, 'p0f-lab.log');
    // Then
    const nmapLines = LOG.split('\n').filter((l) => /\|app=NMap (SYN scan|OS detection)\|/.test(l));
    expect(alerts).toHaveLength(nmapLines.length);
    expect(new Set(alerts.map((a) => a.src))).toEqual(new Set([ATTACKER]));
    expect(new Set(alerts.map((a) => a.dst))).toEqual(new Set([VICTIM]));
    expect(new Set(alerts.map((a) => a.what))).toEqual(new Set(['NMap SYN scan', 'NMap OS detection']));
    for (const a of alerts) {
      expect(a.hostLevel).toBe(true);
      expect(a.proto).toBe('tcp');
      expect(a.timeTolerance).toBeGreaterThanOrEqual(1);
      expect(a.where).toMatch(/^p0f-lab\.log line \d+$/);
    }
  });

  test('each alert\'s time is its SYN\'s capture time cut to the second, read from New York local time', () => {
    const syns = new Map<string, number[]>();
    for (const s of tsharkSyns()) syns.set(s.key, [...(syns.get(s.key) ?? []), s.time]);
    const alerts = readP0fLog(LOG, 'p0f-lab.log');
    for (const a of alerts) {
      const times = syns.get(`${a.src}/${a.sport}>${a.dst}/${a.dport}`) ?? [];
      // the packet lies within [time, time + 1): the log's whole second, as p0f cut it
      expect(times.some((t) => t >= a.time! && t < a.time! + 1), `${a.where}: ${a.src}/${a.sport} -> ${a.dport} at ${a.time}, SYNs at ${times}`).toBe(true);
    }
  });

  test('every Nmap SYN-scan probe in the capture has its alert (window 1024-4096, MSS as the only option)', () => {
    const probes = tsharkSyns().filter((s) => s.src === ATTACKER && [1024, 2048, 3072, 4096].includes(s.window) && s.headerLength === 24);
    expect(probes.length).toBeGreaterThan(50);
    const synScanAlerts = readP0fLog(LOG, 'p0f-lab.log').filter((a) => a.what === 'NMap SYN scan');
    expect(synScanAlerts).toHaveLength(probes.length);
  });

  test('the same log read in UTC gives times five hours earlier (New York is UTC-5 in December)', () => {
    const newYork = readP0fLog(LOG, 'p0f-lab.log');
    const utc = inZone('UTC', () => readP0fLog(LOG, 'p0f-lab.log'));
    expect(utc.map((a, i) => newYork[i].time! - a.time!)).toEqual(newYork.map(() => 5 * 3600));
  });

  test.runIf(hasP0f)('the fixture is what p0f writes: running p0f on the pcap again gives the same alerts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-test-p0f-'));
    try {
      execFileSync('p0f', ['-r', PCAP, '-o', join(dir, 'p0f.log')], { env: { ...process.env, TZ: 'America/New_York' }, stdio: 'ignore' });
      const again = readP0fLog(readFileSync(join(dir, 'p0f.log'), 'utf8'), 'p0f-lab.log');
      expect(again).toEqual(readP0fLog(LOG, 'p0f-lab.log'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readP0fLog line by line', () => {
  // Lines of the fixture log, one edited where a case needs it.
  const SYN_SCAN = '[2026/12/01 17:23:35] mod=syn|cli=198.18.0.11/53115|srv=198.18.0.10/21|subj=cli|app=NMap SYN scan|dist=<= 17|params=random_ttl|raw_sig=4:47+17:0:1460:1024,0:mss::0';
  const BENIGN_SYN = '[2026/12/01 17:23:33] mod=syn|cli=198.18.0.12/46080|srv=198.18.0.10/80|subj=cli|os=Linux 2.2.x-3.x|dist=0|params=generic tos:0x04|raw_sig=4:64+0:0:1460:mss*44,10:mss,sok,ts,nop,ws:df,id+:0';
  const HTTP = '[2026/12/01 17:23:33] mod=http response|cli=198.18.0.12/35622|srv=198.18.0.10/80|subj=srv|app=nginx 1.x|lang=none|params=none|raw_sig=1:Server,Date:Keep-Alive:nginx/1.22.1';

  const inUtc = (text: string) => inZone('UTC', () => readP0fLog(text, 'p0f.log'));
  const errorOf = (text: string): UserError => {
    try {
      inUtc(text);
    } catch (error) {
      return error as UserError;
    }
    throw new Error('expected an error');
  };

  test('format auto knows a p0f log by its first line, and not p0f\'s terminal output', () => {
    expect(looksLikeP0fLog(LOG.slice(0, 4096))).toBe(true);
    expect(looksLikeP0fLog('--- p0f 3.09b by Michal Zalewski <lcamtuf@coredump.cx> ---\n')).toBe(false);
    expect(looksLikeP0fLog('no,score,flagged\n1,0.5,1\n')).toBe(false);
  });

  test('an empty log has no alerts', () => {
    expect(inUtc('')).toEqual([]);
  });

  test('other fingerprints (an OS, an HTTP server) are not alerts', () => {
    expect(inUtc([BENIGN_SYN, HTTP, ''].join('\n'))).toEqual([]);
  });

  test('a SYN-scan line becomes one alert with all it says', () => {
    expect(inUtc(`${BENIGN_SYN}\r\n${SYN_SCAN}\r\n`)).toEqual([
      { time: Date.UTC(2026, 11, 1, 17, 23, 35) / 1000, timeTolerance: 1, src: '198.18.0.11', dst: '198.18.0.10', sport: 53115, dport: 21, proto: 'tcp', hostLevel: true, what: 'NMap SYN scan', where: 'p0f.log line 2' },
    ]);
  });

  test('IPv6 addresses (the lab\'s 2001:2::/48) are read up to the port\'s slash', () => {
    const [alert] = inUtc(SYN_SCAN.replace('198.18.0.11/53115', '2001:2::11/53115').replace('198.18.0.10/21', '2001:2::10/21'));
    expect([alert.src, alert.sport, alert.dst, alert.dport]).toEqual(['2001:2::11', 53115, '2001:2::10', 21]);
  });

  test('when p0f fingerprints the server side, the server is the one named', () => {
    const [alert] = inUtc(SYN_SCAN.replace('subj=cli', 'subj=srv'));
    expect([alert.src, alert.dst]).toEqual(['198.18.0.10', '198.18.0.11']);
  });

  test.each([
    ['p0f\'s terminal output instead of its log', '--- p0f 3.09b by Michal Zalewski <lcamtuf@coredump.cx> ---', /p0f\.log line 1 is not a p0f log line: "--- p0f 3\.09b/],
    ['a line without its time', SYN_SCAN.slice(22), /p0f\.log line 1 is not a p0f log line/],
    ['a client without a port', SYN_SCAN.replace('/53115', ''), /p0f\.log line 1: cli is "198\.18\.0\.11", expected an IP address, a slash and a port/],
    ['a server that is no address', SYN_SCAN.replace('198.18.0.10/21', 'victim/21'), /p0f\.log line 1: srv is "victim\/21"/],
    ['a port above 65535', SYN_SCAN.replace('/53115', '/70000'), /p0f\.log line 1: cli is "198\.18\.0\.11\/70000"/],
    ['no subject', SYN_SCAN.replace('subj=cli|', ''), /p0f\.log line 1: subj is "\(missing\)", expected cli or srv/],
    ['a day that does not exist', SYN_SCAN.replace('2026/12/01', '2026/02/30'), /p0f\.log line 1: "\[2026\/02\/30 17:23:35\]" is not a time that exists/],
  ])('%s is a UserError naming the file and line', (_case, line, message) => {
    const error = errorOf(`${line}\n`);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(message);
  });

  test('the hint for p0f\'s terminal output says to give the -o file', () => {
    expect(errorOf('--- p0f 3.09b by Michal Zalewski <lcamtuf@coredump.cx> ---').hint).toMatch(/-o FILE/);
  });

  test('a bad line after good ones names its own line number', () => {
    expect(errorOf([BENIGN_SYN, SYN_SCAN, 'garbage'].join('\n')).message).toMatch(/^p0f\.log line 3 is not a p0f log line: "garbage"/);
  });
});
