// The threshold random walk (src/detect/trw.ts, Jung et al. 2004, unit 'service') online: one
// ConnectionTracker (src/detect/connections.ts) is fed every packet up to the end of each window as
// it closes (the warm-up's too, in the first window judged), and each attempt goes into one TrwWalk
// the moment it resolves. A row is flagged when its host or its peer is a convicted scanner by the
// end of its window (never a training row); its score is the offline one: 1 for a convicted
// scanner, else the higher endpoint's peak log ratio over log η1. Jung's parameters are fixed, so
// it trains on nothing. Three documented differences from offline `trw`:
// - Timeout: an attempt still unanswered 3 s of packet time after it opened fails then, and an
//   answer that comes later no longer counts (offline: an answer of any delay is a success, and
//   silence fails at the end of the capture). So a walk can differ only where an answer took over
//   3 s; a scan of silent (filtered) ports is convicted up to 3 s later than its attempts.
// - Order: attempts enter the walk as they resolve, offline in the order they opened. They differ
//   only when an unanswered attempt resolves after later ones were answered; the walk's product is
//   the same, but a walk that touched η0 (restart) or η1 (conviction) on the way can end differently.
// - Timing: offline flags a scanner's packets from the start of its convicting walk, also those
//   before the conviction; online cannot know the future and flags the windows from the one in
//   which it was convicted on (all of that window's rows of the scanner).
import type { RawFeatures } from '../../features/feature-set.ts';
import { ConnectionTracker } from '../connections.ts';
import { JUNG_PARAMETERS, trwThresholds, TrwWalk, type TrwOptions } from '../trw.ts';
import { verdictOfEnds, type OnlineDetector, type WindowBatch, type WindowVerdict } from './online-detector.ts';

/** Seconds of packet time an attempt may wait for its answer. */
export const TRW_ANSWER_TIMEOUT_SECONDS = 3;

export interface OnlineTrw extends OnlineDetector {
  /** The walks so far (scanners, peaks): what the rows are judged on. */
  readonly walk: TrwWalk;
}

export function onlineTrw(options: TrwOptions = JUNG_PARAMETERS, timeoutSeconds = TRW_ANSWER_TIMEOUT_SECONDS): OnlineTrw {
  const walk = new TrwWalk(options);
  const tracker = new ConnectionTracker({ timeoutSeconds, onResolved: (a) => walk.add(a) });
  const { eta0, eta1 } = trwThresholds(options);
  /** Packets fed to the tracker: windows of the warm-up are never judged, so they are fed late. */
  let fed = 0;
  return {
    name: 'online:trw',
    description: `threshold random walk (Jung et al. 2004) online: each attempt enters its source's walk as it resolves; unanswered after ${timeoutSeconds} s it fails`,
    notes: [],
    walk,
    train(_rows: RawFeatures) {},
    judge(batch: WindowBatch): WindowVerdict {
      tracker.consume(batch.decoded, fed, batch.endPacket);
      fed = batch.endPacket;
      return verdictOfEnds(batch, (address) => walk.score(address));
    },
    rule: () =>
      `per source, a walk over first contacts per ${options.unit === 'host' ? 'host' : 'service (host, protocol, port)'}: a failure multiplies the likelihood ratio by ${((1 - options.theta1) / (1 - options.theta0)).toFixed(2)}, a success by ${(options.theta1 / options.theta0).toFixed(2)} (θ0 ${options.theta0}, θ1 ${options.theta1}); a scanner at η1 = ${eta1.toFixed(0)}, the walk restarts at η0 = ${eta0.toFixed(4)}; attempts enter as they resolve, one unanswered after ${timeoutSeconds} s of packet time fails; a row is flagged when its host or peer is a scanner by the end of its window`,
  };
}
