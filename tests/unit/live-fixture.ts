/**
 * A log for live tests, written for the purpose: 40 minutes of steady traffic (20 records a minute, an error
 * every 7th minute), then a burst of 120 db timeouts in one minute — the one incident, whose facts the tests know:
 * it starts at 09:39 (the detector's window before the burst's first minute) and holds the 120 errors.
 */
const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

export const BASE_RECORDS = 800;
export const BASE_ERRORS = 6;
export const BURST_RECORDS = 140;
export const BURST_ERRORS = 120;

/** The steady part: 09:00 to 09:40. */
export function baseLog(): string {
  let s = '';
  for (let m = 0; m < 40; m++)
    for (let k = 0; k < 20; k++) {
      const level = k === 0 && m % 7 === 0 ? 'ERROR' : 'INFO';
      s += `${iso(T0 + m * 60_000 + k * 3000)} ${level} api-gateway GET /api/items/${m * 20 + k} 200 in ${k + 3} ms\n`;
    }
  return s;
}

/** The burst at 09:40: 120 errors in a minute, and the usual 20 requests. */
export function burstLog(): string {
  let s = '';
  const t = T0 + 40 * 60_000;
  for (let k = 0; k < 120; k++)
    s += `${iso(t + k * 500)} ERROR order-service Timeout calling db after ${3000 + k} ms\n`;
  for (let k = 0; k < 20; k++) s += `${iso(t + k * 3000)} INFO api-gateway GET /api/items/${k} 200 in 5 ms\n`;
  return s;
}

/** What the one incident's open event says. */
export const BURST_INCIDENT = {
  type: 'incident',
  state: 'open',
  kind: 'errors',
  start: '2025-03-14T09:39:00.000Z',
  end: '2025-03-14T09:42:00.000Z',
  errors: 120,
};

const at = (m: number, s: number): string => iso(T0 + m * 60_000 + s * 1000);

/** Quiet traffic, minutes `from` to `to` (09:MM), 20 requests a minute. */
export function steadyLog(from: number, to: number): string {
  let s = '';
  for (let m = from; m < to; m++)
    for (let k = 0; k < 20; k++) s += `${at(m, k * 3)} INFO api-gateway GET /x/${k} 200 in 4 ms\n`;
  return s;
}

/**
 * After the burst, parts to read one at a time for a reopening: quiet minutes 09:41–09:43 (the incident closes:
 * it stops growing for a window of log time), a second db burst at 09:44 with its minute of traffic (one quiet
 * bucket after the incident: the detectors merge it, the incident grows to 09:46 and 240 errors: open again),
 * then quiet again (it closes again).
 */
export function reopenParts(): string[] {
  let second = '';
  for (let k = 0; k < 120; k++)
    second += `${at(44, Math.floor(k / 2))} ERROR order-service Timeout calling db after ${4000 + k} ms\n`;
  return [
    steadyLog(41, 42),
    steadyLog(42, 44),
    second + steadyLog(44, 45),
    steadyLog(45, 47),
    steadyLog(47, 55),
  ];
}
