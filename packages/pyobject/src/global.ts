import { BRAND, brandOf } from "./brand.js";

/**
 * A reference to a module-level Python object (a class or function), by module and qualified
 * name, as pickle's GLOBAL/STACK_GLOBAL name them. Loading one never imports or runs anything.
 */
export class PyGlobal {
  declare readonly [BRAND]: "global";
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `${this.module}.${this.name}`;
  }
}
Object.defineProperty(PyGlobal.prototype, BRAND, { value: "global" });

export function isPyGlobal(v: unknown): v is PyGlobal {
  return brandOf(v) === "global";
}
