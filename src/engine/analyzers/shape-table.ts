/**
 * Shape hash (a 53-bit integer, see maskHash) → template id: the miner's per-record lookup. Open addressing on
 * typed arrays: a Map keyed by such numbers boxes each key and costs several times more per record.
 */
export class ShapeTable {
  private keys = new Float64Array(1024);
  /** id + 1; 0 marks an empty slot */
  private ids = new Int32Array(1024);
  private bits = 10;
  size = 0;

  /** The id stored for h, or -1. */
  get(h: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = Math.imul(h | 0, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const v = this.ids[i]!;
      if (v === 0) return -1;
      if (keys[i] === h) return v - 1;
      i = (i + 1) & mask;
    }
  }

  set(h: number, id: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = Math.imul(h | 0, 0x9e3779b1) >>> (32 - this.bits);
    while (this.ids[i] !== 0 && keys[i] !== h) i = (i + 1) & mask;
    if (this.ids[i] === 0) this.size++;
    keys[i] = h;
    this.ids[i] = id + 1;
  }

  private grow(): void {
    const { keys, ids } = this;
    this.bits++;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (ids[i] !== 0) this.set(keys[i]!, ids[i]! - 1);
  }
}
