/**
 * Keyed values with an expiry each, laid out for a small heap: the map holds only a slot number per key
 * (a small integer, stored inline), and each slot's value and expiry live in flat arrays. An entry costs its
 * share of the map, its key, and sixteen bytes, instead of an object and a boxed number besides.
 *
 * A slot number is valid until the table is next changed; callers read and write through it synchronously.
 * Expired entries are dropped when found and by `sweep`.
 */
export class ExpiringTable<V> {
  readonly #slots = new Map<string, number>();
  /** Expiry of each slot in use; in a free slot, the next free slot (or -1), so freed slots need no list. */
  #expiresAt = new Float64Array(16);
  #values: V[];
  #freeHead = -1;
  /** Slots below this have been handed out at least once. */
  #used = 0;
  readonly #empty: V;

  /** `empty` fills unused slots, so a freed slot holds on to nothing; its type keeps the value array unboxed. */
  constructor(empty: V) {
    this.#empty = empty;
    this.#values = new Array<V>(16).fill(empty);
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The slot of `key` while it lives at `now`, or -1. An expired entry is dropped on the way. */
  find(key: string, now: number): number {
    const slot = this.#slots.get(key);
    if (slot === undefined) return -1;
    if (this.#expiresAt[slot]! <= now) {
      this.#slots.delete(key);
      this.#free(slot);
      return -1;
    }
    return slot;
  }

  valueAt(slot: number): V {
    return this.#values[slot]!;
  }

  setValueAt(slot: number, value: V): void {
    this.#values[slot] = value;
  }

  expiresAt(slot: number): number {
    return this.#expiresAt[slot]!;
  }

  /** Stores `value` under `key` until `expiresAt`, replacing what was there. */
  set(key: string, value: V, expiresAt: number): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) {
      this.add(key, value, expiresAt);
      return;
    }
    this.#values[slot] = value;
    this.#expiresAt[slot] = expiresAt;
  }

  /** Stores `value` under `key`, which `find` has just reported absent, until `expiresAt`. */
  add(key: string, value: V, expiresAt: number): void {
    const slot = this.#allocate();
    this.#values[slot] = value;
    this.#expiresAt[slot] = expiresAt;
    this.#slots.set(flat(key), slot);
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    this.#free(slot);
  }

  /** Drops every entry expired at `now`, and gives memory back after the table has mostly emptied. */
  sweep(now: number): void {
    const expiresAt = this.#expiresAt;
    for (const [key, slot] of this.#slots) {
      if (expiresAt[slot]! <= now) {
        this.#slots.delete(key);
        this.#free(slot);
      }
    }
    if (this.#capacity > 1024 && this.#slots.size < this.#capacity / 8) this.#compact();
  }

  clear(): void {
    this.#slots.clear();
    this.#expiresAt = new Float64Array(16);
    this.#values = new Array<V>(16).fill(this.#empty);
    this.#freeHead = -1;
    this.#used = 0;
  }

  get #capacity(): number {
    return this.#expiresAt.length;
  }

  #allocate(): number {
    const head = this.#freeHead;
    if (head >= 0) {
      this.#freeHead = this.#expiresAt[head]!;
      return head;
    }
    if (this.#used === this.#capacity) this.#resize(this.#capacity * 2);
    return this.#used++;
  }

  #free(slot: number): void {
    this.#values[slot] = this.#empty;
    this.#expiresAt[slot] = this.#freeHead;
    this.#freeHead = slot;
  }

  #resize(capacity: number): void {
    const expiresAt = new Float64Array(capacity);
    expiresAt.set(this.#expiresAt.subarray(0, Math.min(this.#used, capacity)));
    this.#expiresAt = expiresAt;
    const values = new Array<V>(capacity).fill(this.#empty);
    for (let slot = 0; slot < this.#used && slot < capacity; slot++) values[slot] = this.#values[slot]!;
    this.#values = values;
  }

  /** Moves the live entries to the lowest slots and shrinks the arrays to fit them with room to grow. */
  #compact(): void {
    const old = { expiresAt: this.#expiresAt, values: this.#values };
    let capacity = 16;
    while (capacity < this.#slots.size * 2) capacity *= 2;
    this.#expiresAt = new Float64Array(capacity);
    this.#values = new Array<V>(capacity).fill(this.#empty);
    let next = 0;
    for (const [key, slot] of this.#slots) {
      this.#expiresAt[next] = old.expiresAt[slot]!;
      this.#values[next] = old.values[slot]!;
      this.#slots.set(key, next++);
    }
    this.#used = next;
    this.#freeHead = -1;
  }
}

/** Written so reading a character cannot be optimized away. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written, never read, on purpose
let lastFirstChar = 0;

/**
 * The key as one flat string. A key built by concatenation is a tree of pieces that can take several times
 * the heap of its characters; reading a character of it makes V8 flatten it in place, and the pieces are
 * collected. A flat key is quicker to hash as well.
 */
function flat(key: string): string {
  lastFirstChar = key.charCodeAt(0) | 0;
  return key;
}
