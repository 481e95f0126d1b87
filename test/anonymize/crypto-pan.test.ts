import { describe, expect, test } from 'vitest';
import { CryptoPan } from '../../src/anonymize/crypto-pan.ts';
import { v4FromText, v4ToText } from '../../src/util/address-text.ts';

// The key and address pairs of the Crypto-PAn reference implementation's sample.
const KEY = Uint8Array.from([21, 34, 23, 141, 51, 164, 207, 128, 19, 10, 91, 22, 73, 144, 125, 16, 216, 152, 143, 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, 132, 34, 2]);

function encrypt(pan: CryptoPan, text: string): string {
  const a = v4FromText(text)!;
  const b = Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
  pan.encrypt(b, 0, 4, b, 0);
  return v4ToText(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0);
}

describe('Crypto-PAn', () => {
  const pan = new CryptoPan(KEY);
  test.each([
    ['128.11.68.132', '135.242.180.132'],
    ['129.118.74.4', '134.136.186.123'],
    ['130.132.252.244', '133.68.164.234'],
    ['141.223.7.43', '141.167.8.160'],
    ['141.233.145.108', '141.129.237.235'],
    ['152.163.225.39', '151.140.114.167'],
    ['156.29.3.236', '147.225.12.42'],
    ['165.247.96.84', '162.9.99.234'],
    ['166.107.77.190', '160.132.178.185'],
    ['192.102.249.13', '252.138.62.131'],
  ])('matches the reference implementation: %s -> %s', (orig, expected) => {
    expect(encrypt(pan, orig)).toBe(expected);
  });

  test('two addresses sharing a /24 still share a /24, and only that', () => {
    const a = encrypt(pan, '198.18.7.1').split('.');
    const b = encrypt(pan, '198.18.7.200').split('.');
    expect(a.slice(0, 3)).toEqual(b.slice(0, 3));
    expect(a[3]).not.toBe(b[3]);
  });

  test('refuses a key that is not 32 bytes', () => {
    expect(() => new CryptoPan(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
