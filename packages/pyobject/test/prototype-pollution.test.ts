import { afterEach, describe, expect, test } from "vitest";
import { PyDict, PyTypeError, pyRepr, toFaithful, toNatural } from "../src/index.js";

const hostile = ["__proto__", "constructor", "prototype", "toString", "__defineGetter__", "hasOwnProperty"];

afterEach(() => {
  // Nothing may have leaked onto the shared prototypes.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

describe("dict keys named like prototype members", () => {
  test("toNatural defines them as own data properties", () => {
    const d = new PyDict<string, unknown>(hostile.map((k) => [k, new PyDict([["polluted", true]])]));
    const n = toNatural(d) as Record<string, unknown>;
    expect(Object.getPrototypeOf(n)).toBe(Object.prototype);
    expect(Object.keys(n)).toEqual(hostile);
    for (const k of hostile) {
      const desc = Object.getOwnPropertyDescriptor(n, k);
      expect(desc?.value).toEqual({ polluted: true });
      expect(desc?.enumerable).toBe(true);
    }
    expect((n as { polluted?: unknown }).polluted).toBeUndefined();
  });

  test("an own __proto__ property from JSON.parse reads back as a str key", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const f = toFaithful(parsed) as PyDict<string, unknown>;
    expect([...f.keys()]).toEqual(["__proto__", "a"]);
    expect(pyRepr(f)).toBe("{'__proto__': {'polluted': True}, 'a': 1}");
    const back = toNatural(f) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
  });

  test("pyRepr reads only own enumerable properties of a plain object", () => {
    const o = Object.create({ inherited: 1 }) as Record<string, unknown>;
    expect(() => pyRepr(o)).toThrow(PyTypeError); // not a plain object: no Python counterpart
    expect(pyRepr(Object.assign(Object.create(null), { a: 1n }))).toBe("{'a': 1}");
  });
});
