// One closed window's host-window rows, built by the offline feature set itself from the window's
// packets: every host-window column depends only on the packets of its own window, so the rows
// equal the offline rows of that window.
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
import { sliceColumns } from '../../capture/decode/columns.ts';
import { buildHostWindow } from '../../features/host-window.ts';
import type { RawFeatures } from '../../features/feature-set.ts';

export interface WindowRows {
  readonly features: RawFeatures;
  /** Per row: the other host of the conversation. */
  readonly rowPeer: Uint32Array;
  /** Per row: capture time (seconds since the first packet) of its first and last packet. */
  readonly firstTime: Float64Array;
  readonly lastTime: Float64Array;
}

export function windowRows(decoded: DecodedCapture, from: number, to: number, windowSeconds: number): WindowRows {
  const columns = sliceColumns(decoded.columns, from, to);
  const features = buildHostWindow({ ...decoded, packets: to - from, columns }, { windowSeconds });
  const rowPeer = new Uint32Array(features.rows);
  const firstTime = new Float64Array(features.rows).fill(Infinity);
  const lastTime = new Float64Array(features.rows);
  for (let i = 0; i < to - from; i++) {
    const r = features.rowOfPacket[i];
    const other = columns.src[i] === features.rowHost[r] ? columns.dst[i] : columns.src[i];
    if (other !== features.rowHost[r]) rowPeer[r] = other;
    else if (rowPeer[r] === 0) rowPeer[r] = other;
    const t = columns.time[i];
    if (t < firstTime[r]) firstTime[r] = t;
    if (t > lastTime[r]) lastTime[r] = t;
  }
  return { features, rowPeer, firstTime, lastTime };
}
