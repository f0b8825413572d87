import { InputError } from '../errors.ts';

/**
 * A registry of named things (strategies, runtimes, accuracy sources, space families, metrics…): one
 * registration pattern for all of them. The built-ins register where the registry is made; users add
 * their own with {@link Registry.register}. An unknown name is bad input: an {@link InputError}
 * naming the flag it came from and listing what is registered.
 */
export class Registry<T> {
  private readonly entries = new Map<string, T>();

  /**
   * @param noun what the entries are, for messages (`strategy`)
   * @param flag where names come from, for messages (`--strategy`)
   */
  constructor(readonly noun: string, readonly flag: string) {}

  /** Register `entry` under `id`; registering an id twice is a mistake and throws. */
  register(id: string, entry: T): this {
    if (this.entries.has(id)) throw new Error(`${this.noun} "${id}" is registered already`);
    this.entries.set(id, entry);
    return this;
  }

  /** The entry of `id`, or undefined. */
  find(id: string): T | undefined {
    return this.entries.get(id);
  }

  /** The entry of `id`; an unknown id is an {@link InputError} naming {@link Registry.flag}. */
  get(id: string, flag = this.flag): T {
    const e = this.entries.get(id);
    if (e === undefined) throw new InputError('unknown-id', `unknown ${this.noun} "${id}"`, { path: flag, expected: `one of ${this.ids().join(', ')}` });
    return e;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Registered ids, sorted. */
  ids(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** `[id, entry]` pairs, sorted by id. */
  list(): [string, T][] {
    return this.ids().map((id) => [id, this.entries.get(id)!]);
  }
}
