// Keys to intents, per screen: pure, so tests check the mapping without rendering. The footer
// shows the same table, so what is listed is what works.

export type Screen = 'scenarios' | 'run' | 'results' | 'history';

export type Intent =
  | { type: 'move'; delta: number }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'history' }
  | { type: 'next-set'; delta: number }
  | { type: 'write-report' }
  | { type: 'quit' }
  | { type: 'confirm'; yes: boolean };

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  tab?: boolean;
  shift?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export function intentFor(screen: Screen, confirming: boolean, input: string, key: KeyInfo): Intent | undefined {
  if (key.ctrl && input === 'c') return confirming ? { type: 'confirm', yes: true } : { type: 'quit' };
  if (confirming) {
    if (input === 'y' || input === 'Y' || key.return) return { type: 'confirm', yes: true };
    if (input === 'n' || input === 'N' || key.escape || input === 'q') return { type: 'confirm', yes: false };
    return undefined;
  }
  if (input === 'q') return { type: 'quit' };
  if (key.upArrow || input === 'k') return { type: 'move', delta: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'move', delta: -10 };
  if (key.pageDown) return { type: 'move', delta: 10 };
  if (key.return) return { type: 'open' };
  if (key.escape || input === 'b') return { type: 'back' };
  if (input === 'h' && screen !== 'run') return { type: 'history' };
  if (screen === 'results') {
    if (key.rightArrow || (key.tab && !key.shift) || input === 'l') return { type: 'next-set', delta: 1 };
    if (key.leftArrow || (key.tab && key.shift)) return { type: 'next-set', delta: -1 };
    if (input === 'r') return { type: 'write-report' };
  }
  return undefined;
}

/** The footer's key list for a screen. */
export function footerKeys(screen: Screen, options: { runActive: boolean; standalone: boolean }): [string, string][] {
  switch (screen) {
    case 'scenarios':
      return [['↑↓', 'choose'], ['enter', 'run'], ['h', 'history'], ['q', 'quit']];
    case 'run':
      return options.runActive ? [['q', 'stop the run']] : [['enter', 'results'], ['esc', 'back'], ['q', 'quit']];
    case 'results':
      return [['←→', 'feature set'], ['r', 'write report'], ...(options.standalone ? [] : ([['esc', 'back'], ['h', 'history']] as [string, string][])), ['q', 'quit']];
    case 'history':
      return [['↑↓', 'choose'], ['enter', 'open'], ['esc', 'back'], ['q', 'quit']];
  }
}

/** The bench view's keys: only quitting (q or Ctrl-C, then y/n). */
export type BenchIntent = Extract<Intent, { type: 'quit' } | { type: 'confirm' }>;

export function benchIntentFor(confirming: boolean, input: string, key: KeyInfo): BenchIntent | undefined {
  const intent = intentFor('run', confirming, input, key);
  return intent?.type === 'quit' || intent?.type === 'confirm' ? intent : undefined;
}

export function benchFooterKeys(active: boolean): [string, string][] {
  return active ? [['q', 'stop the bench']] : [['q', 'quit']];
}
