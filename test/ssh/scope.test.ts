// The declared scope of an SSH lab: ranges hold private addresses, a public address only counts
// when the scope names it exactly, and checkScope refuses with exit 2 before anything runs.

import { describe, expect, test } from 'vitest';
import { isPublicAddress, outOfScope, parseScopeRange } from '../../src/lab/scope.ts';
import { checkScope } from '../../src/attack/nmap-args.ts';
import { UserError } from '../../src/errors.ts';

describe('scope ranges', () => {
  test.each([
    ['192.168.56.0/24', 4, 24],
    ['192.168.56.10', 4, 32],
    ['2001:db8::/64', 16, 64],
    ['0.0.0.0/0', 4, 0],
  ])('%s parses to %i bytes, prefix /%i', (text, bytes, prefix) => {
    const range = parseScopeRange(text)!;
    expect(range.bytes.length).toBe(bytes);
    expect(range.prefix).toBe(prefix);
  });

  test.each(['lab-network', '192.168.56.0/33', '192.168.56.0/24/1', '300.1.1.1/8', '::/129', '10.0.0.0/x'])('%s is refused', (text) => {
    expect(parseScopeRange(text)).toBeUndefined();
  });
});

describe('what is in scope', () => {
  test.each([
    ['192.168.56.10', ['192.168.56.0/24'], true],
    ['192.168.57.10', ['192.168.56.0/24'], false],
    ['10.1.2.3', ['10.0.0.0/8', '192.168.56.0/24'], true],
    ['198.18.0.10', ['198.18.0.10'], true],
    ['198.18.0.11', ['198.18.0.10/32'], false],
    // public: a range never lets it in, naming it exactly does
    ['8.8.8.8', ['0.0.0.0/0'], false],
    ['8.8.8.8', ['8.8.8.0/24'], false],
    ['8.8.8.8', ['8.8.8.8/32'], true],
    ['8.8.8.8', ['8.8.8.8'], true],
    ['2001:db8::5', ['2001:db8::/32'], true],
    ['2a00:1450::1', ['::/0'], false],
    ['2a00:1450::1', ['2a00:1450::1/128'], true],
  ])('%s in %j: %s', (address, scope, expected) => {
    expect(outOfScope(address, scope) === undefined).toBe(expected);
  });

  test('private, shared, benchmark and documentation ranges are not public; others are', () => {
    for (const a of ['10.0.0.1', '172.20.1.1', '192.168.1.1', '100.64.0.1', '198.19.255.1', '192.0.2.1', 'fd00::1', 'fe80::1']) expect(isPublicAddress(a), a).toBe(false);
    for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2a00::1']) expect(isPublicAddress(a), a).toBe(true);
  });

  test('checkScope refuses a target outside scope as a user error that says how to allow it', () => {
    expect(() => checkScope(['192.168.56.10'], ['192.168.56.0/24'])).not.toThrow();
    const refuse = (targets: string[], scope: string[]) => {
      try {
        checkScope(targets, scope);
      } catch (error) {
        return error as UserError;
      }
      throw new Error('not refused');
    };
    const outside = refuse(['192.168.56.10', '10.9.9.9'], ['192.168.56.0/24']);
    expect(outside).toBeInstanceOf(UserError);
    expect(outside.exitCode).toBe(2);
    expect(outside.message).toContain('10.9.9.9 is outside the declared scope');
    const publicTarget = refuse(['8.8.8.8'], ['0.0.0.0/0']);
    expect(publicTarget.message).toContain('8.8.8.8 is a public address');
    expect(publicTarget.hint).toContain('8.8.8.8/32');
  });
});
