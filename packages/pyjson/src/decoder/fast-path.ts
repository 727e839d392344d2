/**
 * The natural model through `JSON.parse`, wherever it provably gives Python's decoder's result.
 *
 * Where both accept a text they agree on everything (same grammar, whitespace, escapes, lone
 * surrogates, float rounding, `1E400` → Infinity, `-0.0` → -0, last duplicate wins in first
 * position, an own `"__proto__"` key) except two kinds of int token:
 * - the int `-0` (Python's 0, JSON.parse's -0): such a text goes to the scanner;
 * - ints beyond ±(2**53-1), which must become bigints: each such token is rewritten into the
 *   string `"\u0000<digits>"` before `JSON.parse`, and those strings are turned back into
 *   bigints in one walk of the result (see below for why this is exact).
 * Texts JSON.parse rejects (NaN, Infinity, errors, control characters with `strict: false`) go
 * to the scanner anyway. A false alarm (`-0,` or a long digit run inside a string) only costs a
 * rewrite that JSON.parse then rejects, or the scanner.
 */

/** What `fastParse` returns when the scanner must decide. */
export const USE_SCANNER: unique symbol = Symbol("use the scanner");

// Sixteen spelled-out `\d`s: V8 compiles this to a skipping search, ~10x faster than `\d{16}`
// (measured: 6 ms vs 66 ms on a 15 MB document that JSON.parse reads in ~260 ms).
const SIXTEEN_DIGITS = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/g;
const MAX_SAFE_TEXT = "9007199254740991";
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** True for what may follow a number token in JSON: whitespace, `,`, `]`, `}` or the end. */
function endsToken(c: number): boolean {
  return !(c >= 0) || c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9;
}

/** True for what may precede a value in JSON: whitespace, `[`, `,`, `:` or the start. */
function startsValue(c: number): boolean {
  return !(c >= 0) || c === 91 || c === 44 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * An int value of 16+ digits: after what may precede a value (captured: a lookbehind made the
 * pass twice as slow; a document that starts with the int goes to the scanner), before what may
 * follow one (not `:`, so never a key), nonzero first digit. `replace` is one native pass.
 */
const LONG_INT = /([[,: \t\n\r])(-?[1-9]\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d+)(?=[ \t\n\r]*(?:[,\]}]|$))/g;

/**
 * Python's natural-model value of `s` through `JSON.parse`, or `USE_SCANNER` when that cannot be
 * proved identical (or JSON.parse rejects the text). `maxDigits` is `intMaxStrDigits`.
 */
export function fastParse(s: string, maxDigits: number): unknown {
  if (s.length <= SMALL) {
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      return USE_SCANNER;
    }
    if (!hasIntSuspects(value)) return value;
  }
  // An int -0 token is "-0" between what may precede and follow a value (indexOf: ~1 ms/15 MB).
  for (let i = s.indexOf("-0"); i >= 0; i = s.indexOf("-0", i + 2))
    if (endsToken(s.charCodeAt(i + 2)) && startsValue(s.charCodeAt(i - 1))) return USE_SCANNER;
  const unsafe = unsafeInts(s);
  if (unsafe === DENSE) return USE_SCANNER;
  if (unsafe === SPARSE) {
    const c = s.charCodeAt(0);
    if (c === 45 || isDigit(c)) return USE_SCANNER; // the document is an int (or invalid)
    if (!intPartFloat && suspectInts(maxDigits) && !hasExponentFloat(s)) {
      let value: unknown;
      try {
        value = JSON.parse(s);
      } catch {
        return USE_SCANNER;
      }
      const restored = restoreInOrder(value);
      if (restored !== USE_SCANNER) return restored;
    }
    if (s.includes("\\u0000")) return USE_SCANNER; // a document string could look rewritten
    let value: unknown;
    try {
      value = JSON.parse(s.replace(LONG_INT, '$1"\\u0000$2"'));
    } catch {
      return USE_SCANNER;
    }
    return restoreLongInts(value, maxDigits);
  }
  try {
    return JSON.parse(s);
  } catch {
    return USE_SCANNER; // not JSON for V8 (NaN, Infinity, an error): the scanner decides, reports
  }
}

/**
 * Texts up to this long are parsed first and checked on the result: cheaper than the text scans
 * below for small documents (pyperformance payloads: DICT_GROUP 1.44x -> 1.03x JSON.parse, TUPLE
 * 1.77x -> 1.10x), and a wasted parse is small. Not past 8 KiB: MICRO_DICT (11 KiB of objects
 * keyed "0".."9", which for...in walks slowly) measured 1.23x -> 2.19x.
 */
const SMALL = 8192;

/**
 * Whether a JSON.parse result holds a number an int token outside JSON.parse's agreement could
 * have given: -0 (the int -0, or a float -0.0) or one beyond ±(2**53-1) (a big int, or a float
 * like 1e300). Without one, no such token was in the text: the value is Python's.
 */
function hasIntSuspects(root: unknown): boolean {
  if (typeof root === "number") return isIntSuspect(root);
  if (typeof root !== "object" || root === null) return false;
  // for...in sees only own keys while Object.prototype has no enumerable property.
  let forIn = true;
  for (const _ in EMPTY) forIn = false;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "number") {
          if (isIntSuspect(v)) return true;
        } else if (typeof v === "object" && v !== null) stack.push(v);
      }
    } else if (forIn) {
      for (const k in node) {
        const v: unknown = (node as Record<string, unknown>)[k];
        if (typeof v === "number") {
          if (isIntSuspect(v)) return true;
        } else if (typeof v === "object" && v !== null) stack.push(v);
      }
    } else {
      for (const v of Object.values(node) as unknown[]) {
        if (typeof v === "number") {
          if (isIntSuspect(v)) return true;
        } else if (typeof v === "object" && v !== null) stack.push(v);
      }
    }
  }
  return false;
}
const EMPTY = {};

function isIntSuspect(v: number): boolean {
  return v >= 9007199254740992 || v <= -9007199254740992 || (v === 0 && 1 / v < 0);
}

const NONE = 0;
const SPARSE = 1;
/**
 * Ints beyond 2**53 more often than one per this many characters: the rewrite, the second
 * string and the walk then cost more than the scanner (measured: 1M ints, 40% of them big, took
 * ~1.6x the scanner's time through the rewrite; 100k records with one big id each, ~0.7x).
 */
const DENSE = 2;
const DENSE_SPACING = 128;

/** The unsafe int tokens `unsafeInts` found (false alarms included), as text; emptied after use. */
const suspects: string[] = [];
/** Whether `unsafeInts` saw a 16+ digit run that may be a float's int part (a float ≥ 2**53). */
let intPartFloat = false;

/**
 * Whether `s` may hold int values beyond ±(2**53-1) (false alarms: inside strings): NONE, SPARSE,
 * or DENSE (stops early). SPARSE leaves the tokens in `suspects`.
 */
function unsafeInts(s: string): number {
  const re = SIXTEEN_DIGITS;
  re.lastIndex = 0;
  let count = 0;
  suspects.length = 0;
  intPartFloat = false;
  while (re.test(s)) {
    let end = re.lastIndex;
    const start = end - 16; // the leftmost window: the first digit of its run
    while (isDigit(s.charCodeAt(end))) end++;
    re.lastIndex = end;
    const tokenStart = s.charCodeAt(start - 1) === 45 /* - */ ? start - 1 : start;
    const e = s.charCodeAt(end);
    // Not an int value: a fraction, an exponent, a float's int part, text inside a string.
    if (!endsToken(e)) {
      if ((e === 46 || e === 101 || e === 69) && startsValue(s.charCodeAt(tokenStart - 1)))
        intPartFloat = true;
      continue;
    }
    if (!startsValue(s.charCodeAt(tokenStart - 1))) continue;
    if (end - start === 16 && s.slice(start, end) <= MAX_SAFE_TEXT) continue; // a safe int
    if (++count > 64 && count * DENSE_SPACING > end) {
      suspects.length = 0;
      return DENSE;
    }
    suspects.push(s.slice(tokenStart, end));
  }
  return count === 0 ? NONE : SPARSE;
}

/*
 * Big ints without a rewrite. JSON.parse(s) itself gives every unsafe int token a double of
 * magnitude ≥ 2**53; the walk below replaces each such number by the bigint of a suspect token
 * with that double. This is exact when (1) no other token gives such a number: no float ≥ 2**53,
 * which needs a 16+ digit int part (`intPartFloat`) or a positive exponent (`hasExponentFloat`),
 * so JSON.parse's big numbers are exactly the unsafe int values, and each is a suspect (the scan
 * misses none); and (2) suspects with one double have one text (`suspectInts`): false alarms
 * inside strings included, so the double names the token's text. The walk pairs the big numbers
 * with the suspects in document order, the common case, and checks each pair's double; any
 * mismatch (a false alarm, a duplicate key, integer-like keys that for...in visits first, nesting
 * deeper than the walk goes) takes the rewrite instead.
 */

/** The suspects' ints and doubles, in document order (filled by `suspectInts`). */
let suspectBigs: bigint[] = [];
let suspectDoubles = new Float64Array(0);
/** The next suspect the walk pairs; past the last when all paired. */
let paired = 0;
/** Nesting the walk follows (bounded recursion: deeper documents take the rewrite). */
const WALK_DEPTH = 256;

/**
 * Fills `suspectBigs` and `suspectDoubles` from `suspects`; false (the rewrite decides) when one
 * is longer than `maxDigits` or two with one double differ in text.
 */
function suspectInts(maxDigits: number): boolean {
  const n = suspects.length;
  const bigs = new Array<bigint>(n);
  const doubles = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const text = suspects[k]!;
    if (maxDigits > 0 && text.length - (text.charCodeAt(0) === 45 ? 1 : 0) > maxDigits) return false;
    const big = BigInt(text);
    bigs[k] = big;
    doubles[k] = Number(big); // rounded as JSON.parse rounds the token
  }
  const sorted = doubles.slice().sort();
  for (let k = 1; k < n; k++)
    if (sorted[k] === sorted[k - 1]) {
      // Repeats (the same id twice, or two ints one double apart): texts must agree per double.
      const byDouble = new Map<number, bigint>();
      for (let j = 0; j < n; j++) {
        const had = byDouble.get(doubles[j]!);
        if (had === undefined) byDouble.set(doubles[j]!, bigs[j]!);
        else if (had !== bigs[j]) return false;
      }
      break;
    }
  suspectBigs = bigs;
  suspectDoubles = doubles;
  return true;
}

/** `root` (a fresh JSON.parse result) with its big numbers made the suspects' bigints, or USE_SCANNER. */
function restoreInOrder(root: unknown): unknown {
  paired = 0;
  forInIsOwn = true;
  for (const _ in EMPTY) forInIsOwn = false;
  let out: unknown = root;
  if (typeof root === "number") out = isBig(root) ? pair(root) : root;
  else if (typeof root === "object" && root !== null && !restoreNode(root, 0)) out = USE_SCANNER;
  suspectBigs = [];
  return out;
}

/** The suspect's bigint for the next big number `v`, or USE_SCANNER when its double differs. */
function pair(v: number): bigint | typeof USE_SCANNER {
  const k = paired;
  if (k >= suspectDoubles.length || suspectDoubles[k] !== v) return USE_SCANNER;
  paired = k + 1;
  return suspectBigs[k]!;
}

/** Pairs the big numbers under `node` in document order; false on a mismatch or past WALK_DEPTH. */
function restoreNode(node: object, depth: number): boolean {
  if (depth > WALK_DEPTH) return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      if (typeof v === "number") {
        if (isBig(v)) {
          const big = pair(v);
          if (big === USE_SCANNER) return false;
          node[i] = big;
        }
      } else if (typeof v === "object" && v !== null && !restoreNode(v, depth + 1)) return false;
    }
    return true;
  }
  const obj = node as Record<string, unknown>;
  // Own keys in document order (unless integer-like or repeated: a mismatch then); an own
  // "__proto__" is a data property, so assignment writes it. for...in (~2x faster than
  // Object.keys, which copies each object's keys) once Object.prototype is seen to hold no
  // enumerable property: it then visits own keys only.
  if (forInIsOwn) {
    for (const k in obj) {
      const v = obj[k];
      if (typeof v === "number") {
        if (isBig(v)) {
          const big = pair(v);
          if (big === USE_SCANNER) return false;
          obj[k] = big;
        }
      } else if (typeof v === "object" && v !== null && !restoreNode(v, depth + 1)) return false;
    }
  } else {
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (typeof v === "number") {
        if (isBig(v)) {
          const big = pair(v);
          if (big === USE_SCANNER) return false;
          obj[k] = big;
        }
      } else if (typeof v === "object" && v !== null && !restoreNode(v, depth + 1)) return false;
    }
  }
  return true;
}
/** Set per walk: whether for...in over a plain object sees only its own keys. */
let forInIsOwn = false;

/**
 * A digit then a positive exponent (`e`/`E`, then `+` or a digit), not in a `\uXXXX` escape (a
 * number's digits never follow `\u`: records with `\u00e9` in names, 0.6x the scan's time).
 */
const DIGIT_E = /(?<!\\u[0-9a-fA-F]{0,3})\d[eE][+\d]/g;

/**
 * Whether `s` may hold a float with an exponent and a magnitude ≥ 2**53: a number (digits, an
 * optional fraction, after what may precede a value or a `-`) with a positive exponent (a
 * negative one leaves it below 10**15 unless its int part has 16 digits: `intPartFloat`). False
 * alarms (inside strings, or small) only cost the rewrite.
 */
function hasExponentFloat(s: string): boolean {
  const re = DIGIT_E;
  re.lastIndex = 0;
  while (re.test(s)) {
    let i = re.lastIndex - 3; // the digit before the exponent

    while (i >= 0 && isDigit(s.charCodeAt(i))) i--;
    if (s.charCodeAt(i) === 46 /* . */) {
      i--;
      while (i >= 0 && isDigit(s.charCodeAt(i))) i--;
    }
    if (s.charCodeAt(i) === 45) i--;
    if (startsValue(s.charCodeAt(i))) return true;
  }
  return false;
}

function isBig(v: number): boolean {
  return v >= 9007199254740992 || v <= -9007199254740992;
}

/*
 * Why the rewrite is exact. `LONG_INT` matches a digit run (optionally after `-`) with a nonzero
 * first digit, preceded by whitespace, `[`, `,`, `:` or the start, and followed by whitespace then
 * `,`, `]`, `}` or the end. Outside strings that is an int value, and `"\u0000<token>"` is a
 * string value in its place: the text stays valid or invalid exactly as before. Inside a string,
 * the inserted `"` (never after a backslash: the character before it is one of the above) closes
 * that string and the `\` after it stands outside any string, which JSON.parse always rejects:
 * the scanner then decodes the original text. The text holds no `\u0000`, and raw U+0000 is
 * invalid in JSON strings, so the only strings starting with U+0000 in the result are the
 * rewritten ints.
 */

/** The int a rewritten string stands for, or undefined beyond `maxDigits` (the scanner raises). */
function toInt(v: string, maxDigits: number): number | bigint | undefined {
  if (maxDigits > 0 && v.length - (v.charCodeAt(1) === 45 ? 2 : 1) > maxDigits) return undefined;
  const big = BigInt(v.slice(1));
  return big > MAX_SAFE || big < MIN_SAFE ? big : Number(big);
}

/** Replaces the rewritten ints in `root` (a fresh JSON.parse result); no recursion. */
function restoreLongInts(root: unknown, maxDigits: number): unknown {
  // A bare document string is a rewritten int only when it starts with U+0000 (see above).
  if (typeof root === "string")
    return root.charCodeAt(0) === 0 ? (toInt(root, maxDigits) ?? USE_SCANNER) : root;
  if (typeof root !== "object" || root === null) return root;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "string") {
          if (v.charCodeAt(0) === 0) {
            const int = toInt(v, maxDigits);
            if (int === undefined) return USE_SCANNER;
            node[i] = int;
          }
        } else if (typeof v === "object" && v !== null) stack.push(v);
      }
    } else {
      const obj = node as Record<string, unknown>;
      // Own keys only; an own "__proto__" is a data property, so assignment writes it.
      for (const k of Object.keys(obj)) {
        const v = obj[k];
        if (typeof v === "string") {
          if (v.charCodeAt(0) === 0) {
            const int = toInt(v, maxDigits);
            if (int === undefined) return USE_SCANNER;
            obj[k] = int;
          }
        } else if (typeof v === "object" && v !== null) stack.push(v);
      }
    }
  }
  return root;
}

/**
 * An int token in an array document without objects: a digit run after what may precede a value
 * and before what may follow one (`\s` is wider than JSON's whitespace: only false alarms).
 */
const INT_TOKEN = /[[,\s]-?\d+[\s,\]]/;
/** An object value's `{` (false alarms: inside strings), checked before JSON.parse is tried. */
const OBJECT_START = /[[,][ \t\n\r]*\{/;
const PREFIX = 4096;

/**
 * The faithful model through `JSON.parse`, for an array document with no object and no int:
 * nested arrays of strings, floats, true, false and null are the same value in both models
 * (objects become PyDicts and ints bigints only in the faithful one). The result is walked: an
 * object, or a number that an int token could have given (integral, or ±Infinity from a huge
 * int), sends the text to the scanner unless no int token is found in it. Whatever JSON.parse
 * rejects goes to the scanner too.
 */
export function faithfulFastParse(s: string): unknown {
  let i = 0;
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
  }
  if (s.charCodeAt(i) !== 91 /* [ */) return USE_SCANNER;
  // An int in the first few KiB: most likely a document of ints, not worth a JSON.parse. Tested
  // before OBJECT_START, which reads all of an object-free text (10% of faithful loads of 1M ints).
  if (INT_TOKEN.test(n > PREFIX ? s.slice(0, PREFIX) : s) || OBJECT_START.test(s)) return USE_SCANNER;
  let root: unknown;
  try {
    root = JSON.parse(s);
  } catch {
    return USE_SCANNER;
  }
  let intLike = false;
  const stack: unknown[][] = [root as unknown[]];
  while (stack.length > 0) {
    const a = stack.pop()!;
    for (let k = 0; k < a.length; k++) {
      const v = a[k];
      if (typeof v === "number") {
        if (!intLike && (Number.isInteger(v) || v - v !== 0)) intLike = true;
      } else if (typeof v === "object" && v !== null) {
        if (!Array.isArray(v)) return USE_SCANNER;
        stack.push(v);
      }
    }
  }
  return intLike && INT_TOKEN.test(s) ? USE_SCANNER : root;
}
