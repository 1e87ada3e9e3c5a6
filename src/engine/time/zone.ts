/**
 * Converts wall-clock times (a timestamp written without a zone) to UTC for a configured zone: "UTC",
 * "local" (the runtime's zone: the browser's in the page) or an IANA name. The offset is cached per wall-clock
 * hour, so a log pays for one Intl/Date call per hour of log, not per line.
 */
export class ZoneResolver {
  private hourKey = NaN;
  private hourOffset = 0;
  private readonly dtf: Intl.DateTimeFormat | null;

  constructor(readonly zone: string) {
    this.dtf =
      zone === 'UTC' || zone === 'local'
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** `wallMs` is the wall-clock time encoded as if it were UTC; returns the real UTC instant. */
  toUtc(wallMs: number): number {
    if (this.zone === 'UTC') return wallMs;
    const key = Math.floor(wallMs / 3_600_000);
    if (key !== this.hourKey) {
      this.hourKey = key;
      this.hourOffset = this.offsetForWall(key * 3_600_000);
    }
    return wallMs - this.hourOffset;
  }

  /** Offset (wall − UTC, ms) in force at the wall-clock time `wallMs`. */
  private offsetForWall(wallMs: number): number {
    if (this.dtf === null) {
      const d = new Date(wallMs);
      const local = new Date(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
      );
      // Years 0–99 are mapped to 1900+ by the Date constructor; logs do not go there.
      return wallMs - local.getTime();
    }
    // Two rounds converge except inside a DST gap, where either side is as good as the other.
    let offset = this.offsetAtUtc(wallMs);
    offset = this.offsetAtUtc(wallMs - offset);
    return offset;
  }

  private offsetAtUtc(utcMs: number): number {
    const parts = this.dtf!.formatToParts(new Date(utcMs));
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of parts) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
        default:
          break;
      }
    }
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  }
}
