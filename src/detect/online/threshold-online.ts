// Zeek's threshold scan detector (src/detect/threshold.ts) online: as each window closes, its
// connection attempts (src/detect/connections.ts, on the window's packets) are added to the
// epoch's counts, and a row is flagged when either of its hosts has crossed a threshold by then.
// Two documented differences from offline: an attempt still unanswered when its window closes
// counts as failed (its answer may come a few ms later, in the next window), and offline flags
// every packet of the epoch in which a source crossed, also those before the crossing, while online
// cannot know the future and flags the windows from the crossing on.
import type { RawFeatures } from '../../features/feature-set.ts';
import { sliceColumns } from '../../capture/decode/columns.ts';
import { connectionAttempts } from '../connections.ts';
import { newThresholdCounts, thresholdRatios, ZEEK_THRESHOLDS, type ThresholdOptions } from '../threshold.ts';
import { verdictOfEnds, type OnlineDetector, type WindowBatch, type WindowVerdict } from './online-detector.ts';

export function onlineThreshold(options: ThresholdOptions = ZEEK_THRESHOLDS): OnlineDetector {
  let epoch = -1;
  let counts = newThresholdCounts();
  return {
    name: 'online:threshold',
    description: "Zeek's scan thresholds online: failed attempts of the epoch so far, counted as each window closes",
    notes: [],
    train(_rows: RawFeatures) {},
    judge(batch: WindowBatch): WindowVerdict {
      const { decoded } = batch;
      const e = Math.floor(decoded.columns.time[batch.firstPacket] / options.windowSeconds);
      if (e !== epoch) {
        epoch = e;
        counts = newThresholdCounts();
      }
      const packets = batch.endPacket - batch.firstPacket;
      const attempts = connectionAttempts({ packets, columns: sliceColumns(decoded.columns, batch.firstPacket, batch.endPacket), addresses: decoded.addresses });
      const ratio = thresholdRatios(attempts, options, counts);
      return verdictOfEnds(batch, (address) => ratio.get(`${address}@${e}`) ?? 0);
    },
    rule: () => `failed attempts to ${options.portThreshold} ports of one host or ${options.hostThreshold} hosts on one port within a ${options.windowSeconds} s epoch, counted as each window closes (an attempt unanswered at its window's end counts as failed)`,
  };
}
