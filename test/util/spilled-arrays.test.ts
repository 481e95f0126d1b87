// Typed arrays written to an unlinked scratch file and read back (src/util/spilled-arrays.ts).
import { afterEach, describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SpilledArrays } from '../../src/util/spilled-arrays.ts';
import { UserError } from '../../src/errors.ts';

const TMPDIR = process.env.TMPDIR;
afterEach(() => {
  if (TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = TMPDIR;
});

describe('SpilledArrays', () => {
  test('every array comes back with its type, length and bytes, as often as asked, with no file in a folder', () => {
    const f64 = Float64Array.from([0.1, -0, NaN, Infinity, 1e300]);
    const u16 = Uint16Array.from([0, 1, 65535]);
    const view = Uint8Array.from([9, 8, 7, 6, 5]).subarray(1, 4);
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('scanlab-spill-')).length;
    const spilled = new SpilledArrays({ f64, u16, view, empty: new Int32Array(0) });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('scanlab-spill-')).length).toBe(before);
    for (let k = 0; k < 2; k++) {
      const back = spilled.restore();
      expect(back.f64).toBeInstanceOf(Float64Array);
      expect(Array.from(back.f64)).toEqual(Array.from(f64));
      expect(Object.is(back.f64[1], -0)).toBe(true);
      expect(back.u16).toBeInstanceOf(Uint16Array);
      expect(Array.from(back.u16)).toEqual([0, 1, 65535]);
      expect(Array.from(back.view)).toEqual([8, 7, 6]);
      expect(back.empty.length).toBe(0);
    }
    spilled.close();
  });

  test('a scratch folder that cannot be written is a clear error naming it', () => {
    process.env.TMPDIR = '/nonexistent/scanlab-test';
    expect(() => new SpilledArrays({ a: new Uint8Array(4) })).toThrow(UserError);
    expect(() => new SpilledArrays({ a: new Uint8Array(4) })).toThrow(/cannot write a scratch file in \/nonexistent\/scanlab-test/);
  });
});
