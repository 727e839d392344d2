import { PyValueError } from "@x/pyobject";

/**
 * copyreg's extension registry: small integer codes (1..0x7fffffff) standing for a
 * `(module, name)` global, written as EXT1/EXT2/EXT4 by the pickler and resolved back to the
 * global by the unpickler. Codes 1-127 are reserved by CPython for the standard library,
 * 128-191 for Zope, 192-239 for third parties, 240-255 private; the registry does not police
 * ranges (neither does copyreg), only the bounds and the one-to-one mapping.
 */
export class ExtensionRegistry {
  private readonly byKey = new Map<string, number>();
  private readonly byCode = new Map<number, readonly [module: string, name: string]>();

  /**
   * Registers `code` for the global `module.name`, as `copyreg.add_extension`. Registering
   * the same pair again is a no-op.
   * @throws PyValueError "code out of range" unless 1 <= code <= 0x7fffffff (an integer);
   *   "key ... is already registered with code ..." / "code ... is already in use for key ..."
   *   when either side is already bound to something else.
   */
  addExtension(module: string, name: string, code: number): void {
    if (!Number.isInteger(code) || code < 1 || code > 0x7fffffff) {
      throw new PyValueError("code out of range");
    }
    const key = keyOf(module, name);
    const oldCode = this.byKey.get(key);
    const oldKey = this.byCode.get(code);
    if (oldCode === code && oldKey !== undefined && oldKey[0] === module && oldKey[1] === name) return;
    if (oldCode !== undefined) {
      throw new PyValueError(`key ${keyRepr(module, name)} is already registered with code ${oldCode}`);
    }
    if (oldKey !== undefined) {
      throw new PyValueError(`code ${code} is already in use for key ${keyRepr(oldKey[0], oldKey[1])}`);
    }
    this.byKey.set(key, code);
    this.byCode.set(code, [module, name]);
  }

  /**
   * Unregisters `code` for `module.name`, as `copyreg.remove_extension`.
   * @throws PyValueError "key ... is not registered with code ..." when they are not bound to
   *   each other.
   */
  removeExtension(module: string, name: string, code: number): void {
    const key = keyOf(module, name);
    const got = this.byCode.get(code);
    if (this.byKey.get(key) !== code || got === undefined || got[0] !== module || got[1] !== name) {
      throw new PyValueError(`key ${keyRepr(module, name)} is not registered with code ${code}`);
    }
    this.byKey.delete(key);
    this.byCode.delete(code);
  }

  /** The code registered for `module.name`, or undefined (the pickler's lookup). */
  codeFor(module: string, name: string): number | undefined {
    return this.byKey.get(keyOf(module, name));
  }

  /** The `[module, name]` registered for `code`, or undefined (the unpickler's lookup). */
  lookupCode(code: number): readonly [module: string, name: string] | undefined {
    return this.byCode.get(code);
  }

  /** Every registration as `[module, name, code]`, in registration order. */
  entries(): IterableIterator<readonly [module: string, name: string, code: number]> {
    const byCode = this.byCode;
    return (function* () {
      for (const [code, [module, name]] of byCode) yield [module, name, code] as const;
    })();
  }

  /** Removes every registration (tests; copyreg has no equivalent). */
  clear(): void {
    this.byKey.clear();
    this.byCode.clear();
  }
}

function keyOf(module: string, name: string): string {
  return `${module}\0${name}`;
}

/** Python's repr of the `(module, name)` tuple, for messages as copyreg words them. */
function keyRepr(module: string, name: string): string {
  return `(${strRepr(module)}, ${strRepr(name)})`;
}

function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch < " " || ch === "\x7f") out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + q;
}

/** The process-wide registry (copyreg's module-level tables) that Pickler and Unpickler use by default. */
export const defaultExtensionRegistry = new ExtensionRegistry();

/**
 * `copyreg.add_extension` on the default registry.
 * @throws PyValueError as {@link ExtensionRegistry.addExtension}.
 */
export function addExtension(module: string, name: string, code: number): void {
  defaultExtensionRegistry.addExtension(module, name, code);
}

/**
 * `copyreg.remove_extension` on the default registry.
 * @throws PyValueError as {@link ExtensionRegistry.removeExtension}.
 */
export function removeExtension(module: string, name: string, code: number): void {
  defaultExtensionRegistry.removeExtension(module, name, code);
}
