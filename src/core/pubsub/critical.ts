import type { CriticalChannel } from './types.js';

/** A critical channel: FAIL at 0 subscribers (nobody gets the messages), WARN below its minimum. */
export function criticalCheck(channel: string, minSubscribers: number, subscribers: number): CriticalChannel {
  return { channel, minSubscribers, subscribers, status: subscribers === 0 ? 'FAIL' : subscribers < minSubscribers ? 'WARN' : 'PASS' };
}
