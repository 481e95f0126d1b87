import { describe, expect, test } from 'vitest';
import { checkNmapArguments, checkTargets, splitArguments } from '../../src/attack/nmap-args.ts';

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
});
