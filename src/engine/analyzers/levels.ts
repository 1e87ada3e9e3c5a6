import { LEVEL_SLOTS, type LogRecord } from '../types.ts';
import { levelIndex, type Analyzer } from './analyzer.ts';

/** Records per level, NONE last. */
export class LevelCounts implements Analyzer<number[]> {
  readonly counts = new Array<number>(LEVEL_SLOTS).fill(0);

  push(r: LogRecord): void {
    this.counts[levelIndex(r.level)]!++;
  }

  snapshot(): number[] {
    return this.counts.slice();
  }

  merge(other: LevelCounts): void {
    for (let i = 0; i < LEVEL_SLOTS; i++) this.counts[i]! += other.counts[i]!;
  }
}
