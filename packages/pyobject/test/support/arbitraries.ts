/** fast-check arbitraries for faithful-model Python values. */
import fc from "fast-check";
import {
  Ellipsis,
  NotImplemented,
  PyByteArray,
  PyComplex,
  PyDict,
  PyFrozenSet,
  PySet,
  PyTuple,
} from "../../src/index.js";

/** Floats biased toward the awkward ones: integral, huge, tiny, -0.0, inf, nan. */
export const pyFloat = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n * 1.0),
  fc.constantFrom(
    0,
    -0,
    0.5,
    1e16,
    1e-5,
    1e-4,
    1e15,
    9007199254740992,
    2 ** 63,
    1e22,
    0.1,
    Infinity,
    -Infinity,
    NaN,
  ),
);

export const pyInt = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(
    0n,
    -1n,
    -2n,
    2n ** 61n - 1n,
    2n ** 61n,
    -(2n ** 61n) + 1n,
    2n ** 64n,
    2n ** 53n,
    2n ** 53n + 1n,
  ),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
);

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0x2fff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("'", '"', "\\", "\n", "\t", "\r", "\x7f", "\ud800", "\udfff", " "),
  },
);
/** Strings of any code points, lone surrogates and quotes included. */
export const pyStr = fc.array(unit, { maxLength: 12 }).map((a) => a.join(""));

export const pyBytes = fc.uint8Array({ maxLength: 12 });

export const pyComplex = fc.tuple(pyFloat, pyFloat).map(([r, i]) => new PyComplex(r, i));

/** Hashable leaves (dict keys, set members). */
export const pyHashableLeaf = fc.oneof(
  pyInt,
  pyFloat,
  fc.boolean(),
  pyStr,
  pyBytes,
  fc.constant(null),
  pyComplex,
  fc.constantFrom(Ellipsis, NotImplemented),
);

/** Hashable values: leaves, tuples and frozensets of hashables. */
export const pyHashable: fc.Arbitrary<unknown> = fc.letrec<{ h: unknown }>((tie) => ({
  h: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: pyHashableLeaf },
    { weight: 1, arbitrary: fc.array(tie("h"), { maxLength: 4 }).map((a) => new PyTuple(a)) },
    { weight: 1, arbitrary: fc.array(tie("h"), { maxLength: 4 }).map((a) => new PyFrozenSet(a)) },
  ),
})).h;

/** Any faithful-model value built from the builtin types. */
export const pyValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 6, arbitrary: pyHashableLeaf },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((b) => new PyByteArray(b)) },
    { weight: 2, arbitrary: fc.array(tie("v"), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.array(tie("v"), { maxLength: 4 }).map((a) => new PyTuple(a)) },
    {
      weight: 2,
      arbitrary: fc.array(fc.tuple(pyHashable, tie("v")), { maxLength: 4 }).map((e) => new PyDict(e)),
    },
    { weight: 1, arbitrary: fc.array(pyHashable, { maxLength: 4 }).map((a) => new PySet(a)) },
    { weight: 1, arbitrary: fc.array(pyHashable, { maxLength: 4 }).map((a) => new PyFrozenSet(a)) },
  ),
})).v;
