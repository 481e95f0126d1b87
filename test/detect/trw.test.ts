import { describe, expect, test } from 'vitest';
import { JUNG_PARAMETERS, trwDetector, trwThresholds } from '../../src/detect/trw.ts';
import { decodeFrames, openConnection, refusedConnection, type Frame } from './synth-capture.ts';

const SOURCE = '198.18.0.20';
const VICTIM = '198.18.0.10';

/**
 * One connection per letter, 1 s apart, each to a new port of the victim: S = success (3 packets),
 * F = refused (2 packets).
 */
function walk(pattern: string, port0 = 1000): Frame[] {
  return [...pattern].flatMap((ch, k) => (ch === 'S' ? openConnection(k, SOURCE, 40000 + k, VICTIM, port0 + k) : refusedConnection(k, SOURCE, 40000 + k, VICTIM, port0 + k)));
}

const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

describe('threshold random walk (Jung et al. 2004)', () => {
  test('θ0 0.8, θ1 0.2, α 0.01, β 0.99 give η1 = 99 and η0 = 0.01/0.99', () => {
    expect(JUNG_PARAMETERS).toMatchObject({ theta0: 0.8, theta1: 0.2, alpha: 0.01, beta: 0.99 });
    const { eta0, eta1 } = trwThresholds(JUNG_PARAMETERS);
    expect(eta1).toBeCloseTo(99, 12);
    expect(eta0).toBeCloseTo(0.01 / 0.99, 12);
  });

  // A failure multiplies Λ by 0.8/0.2 = 4, a success by 0.2/0.8 = 1/4.
  test.each([
    ['FFF', 0], // Λ = 64 < 99
    ['FFFF', 8], // Λ = 256 >= 99: scanner from its first attempt, all 4 x 2 packets
    ['FSFFF', 0], // Λ = 4 · 1/4 · 64 = 64
    ['FSFFFF', 13], // Λ = 256: every packet of the walk (5 F x 2 + 1 S x 3)
    ['SSSSFFFF', 8], // 4 successes: Λ = 1/256 <= η0, benign, the walk restarts; 4 failures convict from there
    ['SSSFFFF', 0], // Λ = 1/64 > η0 (no reset), then x 256 = 4 < 99
  ])('%s -> %i packets predicted scan', (pattern, expected) => {
    const decoded = decodeFrames(walk(pattern));
    const predicted = trwDetector(decoded).flagged;
    expect(sum(predicted)).toBe(expected);
    // Whatever is predicted is the tail of the capture: from the start of the convicting walk on.
    const first = predicted.indexOf(1);
    if (first >= 0) expect(sum(predicted.slice(first))).toBe(decoded.packets - first);
  });

  test('each service counts at its first contact only: 5 refusals of one port are one failure', () => {
    const frames = Array.from({ length: 5 }, (_, k) => refusedConnection(k, SOURCE, 40000 + k, VICTIM, 80)).flat();
    expect(sum(trwDetector(decodeFrames(frames)).flagged)).toBe(0);
  });

  test("with Jung's unit (distinct hosts) a vertical scan of one host is never convicted; four hosts are", () => {
    expect(sum(trwDetector(decodeFrames(walk('FFFFFFFF')), { unit: 'host' }).flagged)).toBe(0);
    const hosts = Array.from({ length: 4 }, (_, k) => refusedConnection(k, SOURCE, 40000 + k, `198.18.1.${k + 1}`, 22)).flat();
    expect(sum(trwDetector(decodeFrames(hosts), { unit: 'host' }).flagged)).toBe(8);
  });
});
