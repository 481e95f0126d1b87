// The offline `host-window+threshold` (src/detect/combined.ts) online: two online detectors run
// side by side on every window, and a row is flagged when either flags it. Its score is the higher
// of the two, each over its own decision line (so 1 is the line for both). Neither part is
// refitted; each keeps its own constants and state.
import type { RawFeatures } from '../../features/feature-set.ts';
import type { OnlineDetector, WindowBatch, WindowVerdict } from './online-detector.ts';

/** `lines`: each part's decision line (a score above it is that part's alert). */
export function onlineEither(name: string, first: OnlineDetector, second: OnlineDetector, lines: readonly [number, number]): OnlineDetector {
  return {
    name,
    description: `flags what ${first.name} or ${second.name} flags (no refit of either)`,
    get notes() {
      return [...first.notes, ...second.notes];
    },
    train(rows: RawFeatures, seed: number) {
      first.train(rows, seed);
      second.train(rows, seed);
    },
    judge(batch: WindowBatch): WindowVerdict {
      const a = first.judge(batch);
      const b = second.judge(batch);
      const scores = new Float64Array(a.scores.length);
      const flagged = new Uint8Array(a.scores.length);
      const named = new Int32Array(a.scores.length).fill(-1);
      for (let r = 0; r < scores.length; r++) {
        scores[r] = Math.max(a.scores[r] / lines[0], b.scores[r] / lines[1]);
        flagged[r] = a.flagged[r] | b.flagged[r];
        // The first part's name when it flagged the row, else the second's.
        named[r] = (a.flagged[r] ? a.named?.[r] : b.named?.[r]) ?? -1;
      }
      return { scores, flagged, named };
    },
    rule: () => `either of: ${first.name}: ${first.rule()}; ${second.name}: ${second.rule()}`,
  };
}
