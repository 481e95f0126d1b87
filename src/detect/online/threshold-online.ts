// Zeek's threshold scan detector (src/detect/threshold.ts) online: as each window closes, the
// connection attempts of the current epoch so far are counted again (src/detect/connections.ts)
// and a row is flagged when either of its hosts has crossed a threshold by then. Offline flags
// every packet of the epoch in which a source crossed, also those before the crossing; online
// cannot know the future, so a window is flagged only from the crossing on (the documented
// difference between the two).
import type { RawFeatures } from '../../features/feature-set.ts';
import { sliceColumns } from '../../capture/decode/columns.ts';
import { connectionAttempts } from '../connections.ts';
import { thresholdRatios, ZEEK_THRESHOLDS, type ThresholdOptions } from '../threshold.ts';
import type { OnlineDetector, WindowBatch, WindowVerdict } from './online-detector.ts';

export function onlineThreshold(options: ThresholdOptions = ZEEK_THRESHOLDS): OnlineDetector {
  let epoch = -1;
  let epochStart = 0;
  return {
    name: 'online:threshold',
    description: "Zeek's scan thresholds online: failed attempts of the epoch so far, counted as each window closes",
    notes: [],
    train(_rows: RawFeatures) {},
    judge(batch: WindowBatch): WindowVerdict {
      const { features, training, decoded } = batch;
      const t = decoded.columns.time[batch.firstPacket];
      const e = Math.floor(t / options.windowSeconds);
      if (e !== epoch) {
        epoch = e;
        epochStart = batch.firstPacket;
      }
      const packets = batch.endPacket - epochStart;
      const attempts = connectionAttempts({ packets, columns: sliceColumns(decoded.columns, epochStart, batch.endPacket), addresses: decoded.addresses });
      const ratio = thresholdRatios(attempts, options);
      const scores = new Float64Array(features.rows);
      const flagged = new Uint8Array(features.rows);
      for (let r = 0; r < features.rows; r++) {
        scores[r] = Math.max(ratio.get(`${features.rowHost[r]}@${e}`) ?? 0, ratio.get(`${batch.rowPeer[r]}@${e}`) ?? 0);
        if (!training[r] && scores[r] >= 1) flagged[r] = 1;
      }
      return { scores, flagged };
    },
    rule: () => `failed attempts to ${options.portThreshold} ports of one host or ${options.hostThreshold} hosts on one port within a ${options.windowSeconds} s epoch, counted as each window closes`,
  };
}
