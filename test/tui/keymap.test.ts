import { describe, expect, test } from 'vitest';
import { benchIntentFor, intentFor } from '../../src/tui/keymap.ts';

describe('intentFor', () => {
  test.each([
    ['scenarios', '', { downArrow: true }, { type: 'move', delta: 1 }],
    ['scenarios', '', { return: true }, { type: 'open' }],
    ['scenarios', 'h', {}, { type: 'history' }],
    ['results', '', { rightArrow: true }, { type: 'next-set', delta: 1 }],
    ['results', 'r', {}, { type: 'write-report' }],
    ['history', '', { escape: true }, { type: 'back' }],
    ['run', 'q', {}, { type: 'quit' }],
    ['run', 'c', { ctrl: true }, { type: 'quit' }],
  ] as const)('%s: %j %j -> %j', (screen, input, key, intent) => {
    expect(intentFor(screen, false, input, key)).toEqual(intent);
  });

  test('while confirming, y, Enter or a second Ctrl-C confirm and n, Esc or q cancel', () => {
    expect(intentFor('run', true, 'y', {})).toEqual({ type: 'confirm', yes: true });
    expect(intentFor('run', true, 'c', { ctrl: true })).toEqual({ type: 'confirm', yes: true });
    expect(intentFor('run', true, '', { return: true })).toEqual({ type: 'confirm', yes: true });
    expect(intentFor('run', true, 'n', {})).toEqual({ type: 'confirm', yes: false });
    expect(intentFor('run', true, 'q', {})).toEqual({ type: 'confirm', yes: false });
    expect(intentFor('run', true, 'x', {})).toBeUndefined();
  });

  test('the run view has no history key (a run is going on)', () => {
    expect(intentFor('run', false, 'h', {})).toBeUndefined();
  });
});

describe('benchIntentFor', () => {
  test('only quitting works on the bench view: q or Ctrl-C asks, y/Enter/Ctrl-C confirm, n/esc/q cancel', () => {
    expect(benchIntentFor(false, 'q', {})).toEqual({ type: 'quit' });
    expect(benchIntentFor(false, 'c', { ctrl: true })).toEqual({ type: 'quit' });
    expect(benchIntentFor(false, '', { downArrow: true })).toBeUndefined();
    expect(benchIntentFor(false, 'h', {})).toBeUndefined();
    expect(benchIntentFor(true, 'y', {})).toEqual({ type: 'confirm', yes: true });
    expect(benchIntentFor(true, 'c', { ctrl: true })).toEqual({ type: 'confirm', yes: true });
    expect(benchIntentFor(true, 'n', {})).toEqual({ type: 'confirm', yes: false });
    expect(benchIntentFor(true, '', { escape: true })).toEqual({ type: 'confirm', yes: false });
  });
});
