/**
 * The memo key (`module\0name`) of each global a pickler writes, made once: a global saved
 * again (every ndarray names `numpy.core.multiarray._reconstruct`) is found by two lookups of
 * strings whose hashes V8 has cached, instead of concatenating and hashing a new key string.
 */
export class GlobalKeys {
  private readonly byModule = new Map<string, Map<string, string>>();
  private count = 0;

  key(module: string, name: string): string {
    let names = this.byModule.get(module);
    if (names === undefined) {
      if (this.count > 4096) {
        // Bounded: a pickler fed endless distinct names keeps no more than this.
        this.byModule.clear();
        this.count = 0;
      }
      names = new Map();
      this.byModule.set(module, names);
    }
    let key = names.get(name);
    if (key === undefined) {
      key = `${module}\0${name}`;
      names.set(name, key);
      this.count++;
    }
    return key;
  }
}
