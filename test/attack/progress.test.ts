import { describe, expect, test } from 'vitest';
import { parseProgressLine } from '../../src/attack/progress.ts';
import { parseNmapXml } from '../../src/attack/parse-nmap-xml.ts';

describe('nmap --stats-every lines', () => {
  test.each([
    ['SYN Stealth Scan Timing: About 45.50% done; ETC: 12:01 (0:00:04 remaining)', 'SYN Stealth Scan', 45.5, 4],
    ['Service scan Timing: About 75.00% done; ETC: 05:51 (0:01:02 remaining)', 'Service scan', 75, 62],
    ['UDP Scan Timing: About 3.20% done', 'UDP Scan', 3.2, undefined],
  ])('%s', (line, phase, percent, remaining) => {
    expect(parseProgressLine(line)).toEqual({ phase, percent, remainingSeconds: remaining });
  });

  test('other lines are not progress', () => {
    expect(parseProgressLine('Stats: 0:00:01 elapsed; 0 hosts completed (1 up), 1 undergoing SYN Stealth Scan')).toBeUndefined();
    expect(parseProgressLine('PORT   STATE SERVICE')).toBeUndefined();
  });
});

describe('nmap XML', () => {
  test('ports, services and completion', () => {
    const xml = `<?xml version="1.0"?><nmaprun><host><ports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/><service name="ssh" product="OpenSSH" version="9.2p1"/></port>
<port protocol="tcp" portid="81"><state state="closed" reason="reset"/></port>
</ports></host><runstats><finished time="1" elapsed="0.4"/><hosts up="1" down="0" total="1"/></runstats></nmaprun>`;
    const summary = parseNmapXml(xml);
    expect(summary.finished).toBe(true);
    expect(summary.hostsUp).toBe(1);
    expect(summary.ports).toEqual([
      { protocol: 'tcp', port: 22, state: 'open', service: 'ssh', product: 'OpenSSH', version: '9.2p1' },
      { protocol: 'tcp', port: 81, state: 'closed', service: undefined, product: undefined, version: undefined },
    ]);
  });

  test('a scan stopped midway is not finished', () => {
    expect(parseNmapXml('<nmaprun><host><ports></ports></host>').finished).toBe(false);
  });
});
