// A bounded map whose entries expire: least recently used entries are evicted first
// (a Map keeps insertion order, and a hit re-inserts its entry at the end).

interface Entry<V> { value: V; expiresAt: number }

export class TtlCache<V> {
  private readonly map = new Map<string, Entry<V>>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string, now: number): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    if (e.expiresAt <= now) return undefined;
    this.map.set(key, e);
    return e.value;
  }

  /** Entries with a non-positive lifetime, or in a cache of capacity 0, are not kept. */
  set(key: string, value: V, ttlMs: number, now: number): void {
    if (this.capacity <= 0 || ttlMs <= 0) return;
    if (!this.map.delete(key) && this.map.size >= this.capacity) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, { value, expiresAt: now + ttlMs });
  }

  clear(): void {
    this.map.clear();
  }
}
