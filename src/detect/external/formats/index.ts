// Alert formats by name: each reads an external detector's output text into ExternalAlert[]
// (src/detect/external/alert.ts), throwing a UserError naming the file and line on a bad line.
// `sniff` lets format 'auto' pick a reader from the text itself; a format without one is only
// used when named.
import type { ExternalAlert } from '../alert.ts';
import { looksLikeP0fLog, readP0fLog } from './p0f.ts';

export type AlertReader = (text: string, where: string) => ExternalAlert[];

export interface AlertFormat {
  readonly read: AlertReader;
  /** True when `text` (the output's first few KB) looks like this format. */
  readonly sniff?: (head: string) => boolean;
  /** The file name this format's programs write inside a log folder (eve.json, notice.log). */
  readonly fileName?: string;
}

export const ALERT_FORMATS: Record<string, AlertFormat> = {
  p0f: { read: readP0fLog, sniff: looksLikeP0fLog },
};
