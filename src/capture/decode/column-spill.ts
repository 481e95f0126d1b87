// Whole-capture columns out of memory while the phases that run do not read them: k-means needs
// only its rows, a feature set only the columns it groups on, scoring five columns; yet at 20M
// packets the analysis columns are 548 MB beside a 364 MB sds-window matrix. Each phase names
// what it reads (useColumns); the others wait in scratch files (src/util/spilled-arrays.ts) and
// come back byte for byte when a later phase names them: a second or two at 20M packets in all.
// Measured at 20M packets (bench/RESULTS.md): analyze's peak 1,380 MiB before, 891 MiB after.
import { SpilledArrays } from '../../util/spilled-arrays.ts';
import type { DecodedCapture } from './decode-capture.ts';
import type { ColumnName, PacketColumns } from './columns.ts';
import { collectGarbageAfterPhase } from '../../util/collect-garbage.ts';

type Column = PacketColumns[ColumnName];

/** Captures of at least this many packets spill (below it the columns are tens of MB: not worth a file). */
const SPILL_FROM_PACKETS = 2_000_000;
let spillFrom = SPILL_FROM_PACKETS;

/** For tests: spill from `packets` packets on (0: always), or back to the default with no argument. */
export function spillColumnsFrom(packets = SPILL_FROM_PACKETS): void {
  spillFrom = packets;
}

/** Whether a capture of `packets` packets moves what a phase does not read out of memory. */
export function spills(packets: number): boolean {
  return packets >= spillFrom;
}

/** Per capture: the columns now out of memory, each in a scratch file of its own. */
const outOfMemory = new WeakMap<DecodedCapture, Map<ColumnName, SpilledArrays<'values'>>>();

/**
 * Before a phase that reads `needed` (every column for 'all'): those columns are brought back
 * into memory and, on a large capture, the others moved out (each left as an empty array of its
 * type, so a read the list forgot finds nothing instead of stale data). They stay where they
 * are until the next call: a phase's results are never beside columns it did not ask for.
 * detectCapture, analyzeFeatureSet and analyzeCaptureKeepingRows end with 'all', so a caller that
 * holds the capture gets it back whole.
 */
export function useColumns(decoded: DecodedCapture, needed: readonly ColumnName[] | 'all'): void {
  const columns = decoded.columns as unknown as Record<ColumnName, Column>;
  const out = outOfMemory.get(decoded);
  const wanted = (name: ColumnName) => needed === 'all' || needed.includes(name);
  let moved = false;
  if (spills(decoded.packets) && needed !== 'all') {
    for (const name of Object.keys(columns) as ColumnName[]) {
      if (wanted(name) || columns[name].length === 0 || out?.has(name)) continue;
      const spilled = new SpilledArrays({ values: columns[name] });
      columns[name] = new (columns[name].constructor as new (n: number) => Column)(0);
      let map = outOfMemory.get(decoded);
      if (!map) outOfMemory.set(decoded, (map = new Map()));
      map.set(name, spilled);
      moved = true;
    }
  }
  // What left memory (and what the last phase left unreachable) goes before any column comes back.
  if (moved || out?.size) collectGarbageAfterPhase(decoded.packets);
  if (!out) return;
  for (const [name, spilled] of out) {
    if (!wanted(name)) continue;
    try {
      columns[name] = spilled.restore().values as Column;
    } finally {
      spilled.close();
      out.delete(name);
    }
  }
}

/**
 * A feature set's two phases with the least in memory: `build` (its rows) with only the columns
 * it reads (`columnsRead`; every column when it names none), then `onRows` (k-means and what
 * follows, which read rows only) with no column at all. Columns stay out after it (see useColumns).
 */
export function withRowsOnly<R, T>(decoded: DecodedCapture, columnsRead: readonly ColumnName[] | undefined, build: () => R, onRows: (rows: R) => T): T {
  useColumns(decoded, columnsRead ?? 'all');
  // Held here only until onRows takes them, so nothing keeps them once it is done with them.
  let rows: R | undefined = build();
  useColumns(decoded, []);
  const taken = rows as R;
  rows = undefined;
  return onRows(taken);
}
