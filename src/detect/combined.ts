// Two label-free detectors that fail in different places, as one: host-window's novelty rule
// (blind where a scan's rows look like benign ones, e.g. a slow UDP or ICMP sweep) and Zeek's
// threshold (blind to scans that open no connection: NULL/FIN/Xmas, ACK, fragments it cannot
// parse). A packet is flagged when either flags it; its score is the higher of the two, each
// over its own threshold (so 1 is the decision line for both). Neither part is refitted: each
// keeps its own constants (novelty.ts, threshold.ts).
import type { Detection, Detector, DetectorInput } from './detector.ts';
import { packetScoreAt, packetScores } from './row-decisions.ts';
import { useColumns } from '../capture/decode/column-spill.ts';

export function eitherDetector(name: string, first: Detector, second: Detector): Detector {
  return {
    name,
    kind: first.kind,
    description: `flags what ${first.name} or ${second.name} flags (no refit of either)`,
    learns: first.learns || second.learns,
    columnsRead: first.columnsRead && second.columnsRead ? [...new Set([...first.columnsRead, ...second.columnsRead])] : undefined,
    detect: (input: DetectorInput): Detection => {
      const a = first.detect(input);
      // Only the second part's columns beside the first part's decisions (column-spill.ts).
      useColumns(input.decoded, second.columnsRead ?? 'all');
      const b = second.detect(input);
      const n = a.flagged.length;
      // Written over the second part's arrays (each detect() hands back arrays of its own, and
      // neither part is kept), and the first's scores read from its rows when it scores rows:
      // no per-packet array beyond the second part's.
      const scoreA = packetScoreAt(a);
      const scores = packetScores(b);
      const flagged = b.flagged as Uint8Array;
      const scaleA = a.threshold ?? 1;
      const scaleB = b.threshold ?? 1;
      for (let i = 0; i < n; i++) {
        scores[i] = Math.max(scoreA(i) / scaleA, scores[i] / scaleB);
        flagged[i] = a.flagged[i] | flagged[i];
      }
      return {
        scores,
        flagged,
        hosts: new Set([...a.hosts, ...b.hosts]),
        rows: null,
        rule: `either of: ${first.name}: ${a.rule}; ${second.name}: ${b.rule}`,
        threshold: 1,
        notes: [...a.notes, ...b.notes],
      };
    },
  };
}
