// A bounded map whose entries expire. It holds at most `capacity` entries and, when given a
// `sizeOf`, at most `maxBytes` of them (as sizeOf estimates them); over either bound the
// oldest inserted entries are evicted (a Map keeps insertion order). A hit does not reorder:
// moving the entry costs a Map delete and insert on every cached decision (about 8% of a
// cached request in the bench profile), and every entry leaves within its TTL anyway, so
// recency buys little.

interface Entry<V> { value: V; expiresAt: number; bytes: number }

export interface ByteBound<V> {
  maxBytes: number;
  /** An estimate of the memory an entry holds, key included. */
  sizeOf(key: string, value: V): number;
}

export class TtlCache<V> {
  private readonly map = new Map<string, Entry<V>>();
  private used = 0;

  constructor(readonly capacity: number, private readonly bound?: ByteBound<V>) {}

  get size(): number {
    return this.map.size;
  }

  /** The bytes held, as the ByteBound's sizeOf estimates them (0 without one). */
  get bytes(): number {
    return this.used;
  }

  get(key: string, now: number): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.remove(key, e);
      return undefined;
    }
    return e.value;
  }

  /** Entries with a non-positive lifetime, or in a cache of capacity 0, are not kept. */
  set(key: string, value: V, ttlMs: number, now: number): void {
    if (this.capacity <= 0 || ttlMs <= 0) return;
    const bytes = this.bound ? this.bound.sizeOf(key, value) : 0;
    if (this.bound && bytes > this.bound.maxBytes) return;
    const old = this.map.get(key);
    if (old) this.remove(key, old);
    while (this.map.size >= this.capacity || (this.bound && this.used + bytes > this.bound.maxBytes)) {
      const oldest = this.map.entries().next();
      if (oldest.done) break;
      this.remove(oldest.value[0], oldest.value[1]);
    }
    this.map.set(key, { value, expiresAt: now + ttlMs, bytes });
    this.used += bytes;
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  private remove(key: string, e: Entry<V>): void {
    this.map.delete(key);
    this.used -= e.bytes;
  }
}
