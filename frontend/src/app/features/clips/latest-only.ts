/**
 * Live updates can start a new load of the same thing before the previous one
 * answered, and responses may come back in any order. Per key, only the load
 * started last may apply its result; earlier ones resolve to `undefined` (and
 * their errors are dropped), so an older response never overwrites a newer one.
 */
export class LatestOnly {
  private readonly newest = new Map<string, number>();
  private issued = 0;

  async run<T>(key: string, load: () => Promise<T>): Promise<T | undefined> {
    const ticket = ++this.issued;
    this.newest.set(key, ticket);
    try {
      const result = await load();
      return this.newest.get(key) === ticket ? result : undefined;
    } catch (error) {
      if (this.newest.get(key) === ticket) throw error;
      return undefined;
    } finally {
      if (this.newest.get(key) === ticket) this.newest.delete(key);
    }
  }
}
