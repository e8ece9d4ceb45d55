// What a run provides to its checks beside the target: the harness's own servers (its
// transmitter identity, its push endpoint), started by whoever starts the run, or on first
// use, and stopped with it. Keys are typed so a check gets back what was provided.
export class ServiceKey<T> {
  declare readonly type: T;
  constructor(readonly name: string) {}
}

interface Entry { value?: Promise<unknown>; start?: () => Promise<unknown>; stop?: (v: unknown) => Promise<void> }

export class Services {
  private readonly entries = new Map<ServiceKey<unknown>, Entry>();

  /** A value started already (e.g. a transmitter whose issuer the target was configured with). */
  provide<T>(key: ServiceKey<T>, value: T, stop?: (v: T) => Promise<void>): this {
    this.entries.set(key, { value: Promise.resolve(value), ...(stop ? { stop: stop as (v: unknown) => Promise<void> } : {}) });
    return this;
  }

  /** A value started on first use, once, however many checks ask at the same time. */
  lazy<T>(key: ServiceKey<T>, start: () => Promise<T>, stop?: (v: T) => Promise<void>): this {
    this.entries.set(key, { start, ...(stop ? { stop: stop as (v: unknown) => Promise<void> } : {}) });
    return this;
  }

  /** The service, or undefined when the run provides none under this key. */
  async get<T>(key: ServiceKey<T>): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    e.value ??= e.start!();
    return (await e.value) as T;
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map(async (e) => {
      if (!e.value || !e.stop) return;
      const v = await e.value.catch(() => undefined);
      if (v !== undefined) await e.stop(v);
    }));
  }
}
