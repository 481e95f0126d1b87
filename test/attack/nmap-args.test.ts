import { describe, expect, test } from 'vitest';
import { checkNmapArguments, checkTargets, isIpv6Scan, splitArguments } from '../../src/attack/nmap-args.ts';

const LAB = new Set(['198.18.0.10', '198.18.0.11', '198.18.0.12']);

describe('scope guard over nmap options', () => {
  test.each([
    ['-sS -p 1-1000 -T4'],
    ['-sV --version-light -p 22,80'],
    ['-sU -p 53,161 --max-retries 1'],
    ['-sS -D 198.18.0.12,ME -p 80'],
    ['-sS -D198.18.0.12 -p80'],
    ['-f -sS -p 1-100'],
    ['-O --osscan-limit'],
    ['-sS --script default -p 22'],
    ['-sS --min-rate=20000 -p-'],
  ])('accepts %s', (args) => {
    expect(() => checkNmapArguments(args, LAB)).not.toThrow();
  });

  test.each([
    ['-sS 8.8.8.8', /looks like a target/],
    ['-sS -p 80 198.18.0.10', /looks like a target/],
    ['-iR 100', /-iR is refused: it scans random Internet hosts/],
    ['-iL targets.txt', /-iL is refused/],
    ['-sS -D 10.0.0.1,ME', /decoy 10.0.0.1 is not an address of this lab/],
    ['-sS -D RND:10', /random decoys/],
    ['-sS -S 192.168.1.5 -e eth0', /-S 192.168.1.5 names an address outside this lab/],
    ['-sI 203.0.113.9:80', /-sI 203.0.113.9:80 names an address outside this lab/],
    ['--script broadcast-ping', /broadcast/],
    ['-oX out.xml', /scanlab writes attack/],
    ['-b anonymous@ftp.example.org', /FTP bounce/],
    ['--dns-servers 1.1.1.1', /DNS server 1.1.1.1 is outside this lab/],
    ['-p', /needs a value/],
  ])('refuses %s', (args, message) => {
    expect(() => checkNmapArguments(args, LAB)).toThrow(message);
  });

  test('targets must be lab hosts', () => {
    expect(() => checkTargets(['198.18.0.10'], LAB)).not.toThrow();
    expect(() => checkTargets(['198.18.0.99'], LAB)).toThrow(/198.18.0.99 is not a host of this lab/);
    expect(() => checkTargets(['127.0.0.1'], LAB)).toThrow(/not a host of this lab/);
  });

  test('quoted values stay one token', () => {
    expect(splitArguments(`-sS --script-args "a=1, b=2" -p 80`)).toEqual(['-sS', '--script-args', 'a=1, b=2', '-p', '80']);
  });

  describe('in a lab with IPv6 (2001:2::/48)', () => {
    const LAB6 = new Set([...LAB, '2001:2::a', '2001:2::b', '2001:2::c']);

    test('an IPv6 step (-6) scans lab hosts\' IPv6 addresses, in any text form', () => {
      expect(isIpv6Scan('-6 -sS -p 80')).toBe(true);
      expect(isIpv6Scan('-sS -p 6')).toBe(false);
      expect(() => checkTargets(['2001:2::a'], LAB6, true)).not.toThrow();
      expect(() => checkTargets(['2001:0002:0000::000a'], LAB6, true)).not.toThrow();
    });

    test.each([
      ['2001:2::99', /2001:2::99 is not a host of this lab;/],
      ['2001:db8::a', /2001:db8::a is not a host of this lab \(lab IPv6 addresses are in 2001:2::\/48\)/],
      ['::1', /::1 is not a host of this lab \(lab IPv6 addresses are in 2001:2::\/48\)/],
      ['fe80::5c:a1ff:feab:a', /not a host of this lab \(lab IPv6/],
      ['2606:4700:4700::1111', /not a host of this lab \(lab IPv6/],
    ])('refuses the IPv6 target %s', (target, message) => {
      expect(() => checkTargets([target], LAB6, true)).toThrow(message);
    });

    test('the family of the targets matches -6', () => {
      expect(() => checkTargets(['198.18.0.10'], LAB6, true)).toThrow(/198.18.0.10 is IPv4, but the options have -6/);
      expect(() => checkTargets(['2001:2::a'], LAB6, false)).toThrow(/2001:2::a is IPv6, but the options lack -6/);
    });

    test.each([
      ['-6 -sS -D 2001:2::c,ME -p 80'],
      ['-6 -sS -S 2001:2::b -e eth0 -p 80'],
      ['-6 -sI [2001:2::c]:80 -p 80'],
      ['-6 -sn --dns-servers 2001:2::c'],
    ])('accepts lab IPv6 addresses in %s', (args) => {
      expect(() => checkNmapArguments(args, LAB6)).not.toThrow();
    });

    test.each([
      ['-6 -sS -D 2001:db8::1,ME', /decoy 2001:db8::1 is not an address of this lab/],
      ['-6 -sS -S 2001:2::99', /-S 2001:2::99 names an address outside this lab/],
      ['-6 -sI [2001:4860::8888]:80', /-sI \[2001:4860::8888\]:80 names an address outside this lab/],
      ['-6 -sI 2001:4860::8888', /names an address outside this lab/],
      ['-6 --dns-servers 2001:4860:4860::8888', /DNS server 2001:4860:4860::8888 is outside this lab/],
      ['-6 -sS 2001:2::a', /looks like a target/],
    ])('refuses %s', (args, message) => {
      expect(() => checkNmapArguments(args, LAB6)).toThrow(message);
    });
  });
});
