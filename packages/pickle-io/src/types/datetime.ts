/**
 * Python's `datetime` module types as faithful JS classes (microseconds, fold and tzinfo
 * kept; a JS Date alone would lose them), with their pickle forms: `date`, `datetime` and
 * `time` reduce to their packed byte state (plus tzinfo), `timedelta` to (days, seconds,
 * microseconds), `timezone` to (offset[, name]), exactly as CPython's _datetime does.
 */
import {
  PY_EQ,
  PY_HASH,
  PY_REPR,
  PY_TYPE_NAME,
  PyTuple,
  PyTypeError,
  PyValueError,
  pyHash,
  pyRepr,
} from "@x/pyobject";
import type { ClassRegistration, ReduceValue } from "../registry.js";

const US_PER_DAY = 86_400_000_000n;

function int(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new PyValueError(`${what}: expected an int, got ${typeof v}`);
}

/** Pickled state: bytes, or a latin-1 str in Python 2 pickles loaded with encoding='latin1'. */
function stateBytes(v: unknown, length: number, what: string): Uint8Array | undefined {
  let b: Uint8Array | undefined;
  if (v instanceof Uint8Array) b = v;
  else if (typeof v === "string" && v.length === length) {
    b = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const c = v.charCodeAt(i);
      if (c > 0xff) return undefined;
      b[i] = c;
    }
  }
  if (b === undefined) return undefined;
  if (b.length !== length) throw new PyValueError(`bad ${what} pickle state`);
  return b;
}

function checkRange(v: number, lo: number, hi: number, what: string): void {
  if (!(v >= lo && v <= hi)) throw new PyValueError(`${what} must be in ${lo}..${hi}`);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Python's `datetime.timedelta`, normalised as CPython does (0 <= seconds < 86400, 0 <= microseconds < 10**6). */
export class PyTimeDelta {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
  constructor(days = 0, seconds = 0, microseconds = 0) {
    const total = BigInt(days) * US_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(microseconds);
    let d = total / US_PER_DAY;
    let rem = total % US_PER_DAY;
    if (rem < 0n) {
      rem += US_PER_DAY;
      d -= 1n;
    }
    checkRange(Number(d), -999999999, 999999999, "days");
    this.days = Number(d);
    this.seconds = Number(rem / 1_000_000n);
    this.microseconds = Number(rem % 1_000_000n);
  }
  /** The whole duration in microseconds. */
  totalMicroseconds(): bigint {
    return BigInt(this.days) * US_PER_DAY + BigInt(this.seconds) * 1_000_000n + BigInt(this.microseconds);
  }
  [PY_EQ](other: unknown): boolean | undefined {
    return other instanceof PyTimeDelta ? other.totalMicroseconds() === this.totalMicroseconds() : undefined;
  }
  /** CPython: `hash((days, seconds, microseconds))`. */
  [PY_HASH](): bigint {
    return deltaHash(this.totalMicroseconds());
  }
  [PY_REPR](): string {
    const parts: string[] = [];
    if (this.days) parts.push(`days=${this.days}`);
    if (this.seconds) parts.push(`seconds=${this.seconds}`);
    if (this.microseconds) parts.push(`microseconds=${this.microseconds}`);
    return `datetime.timedelta(${parts.length ? parts.join(", ") : "0"})`;
  }
  get [PY_TYPE_NAME](): string {
    return "timedelta";
  }
}

/** The hash of the timedelta of `us` microseconds (CPython hashes its (days, seconds, us) tuple). */
function deltaHash(us: bigint): bigint {
  let d = us / US_PER_DAY;
  let rem = us % US_PER_DAY;
  if (rem < 0n) {
    rem += US_PER_DAY;
    d -= 1n;
  }
  return pyHash(new PyTuple([d, rem / 1_000_000n, rem % 1_000_000n]));
}

/** Days since 0001-01-01 plus one (`date.toordinal()`). */
function ordinal(year: number, month: number, day: number): bigint {
  const y = year - 1;
  let days = y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  for (let m = 1; m < month; m++) days += daysInMonth(year, m);
  return BigInt(days + day);
}

/** The UTC offset of a tzinfo in microseconds: null when naive, undefined when not modelled. */
function offsetOf(tz: PyTzInfo): bigint | null | undefined {
  if (tz === null) return null;
  return tz instanceof PyTimezone ? tz.offset.totalMicroseconds() : undefined;
}

/** Naive values hash their pickled bytes with the fold bit cleared (CPython's generic_hash). */
function naiveHash(reg: { reduce?(o: never, p: number): ReduceValue }, obj: unknown): bigint {
  const state = (reg.reduce as (o: unknown, p: number) => ReduceValue)(obj, 3)[1][0] as Uint8Array;
  return pyHash(state);
}

/** Python's `datetime.timezone`: a fixed UTC offset and optional name. */
export class PyTimezone {
  constructor(
    readonly offset: PyTimeDelta,
    readonly name: string | null = null,
  ) {
    const us = offset.totalMicroseconds();
    if (us <= -US_PER_DAY || us >= US_PER_DAY) {
      throw new PyValueError(
        "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).",
      );
    }
  }
  /** `timezone.utc`. */
  static readonly utc: PyTimezone = new PyTimezone(new PyTimeDelta(0, 0, 0));
  /** Timezones compare by offset alone, as in CPython. */
  [PY_EQ](other: unknown): boolean | undefined {
    return other instanceof PyTimezone
      ? other.offset.totalMicroseconds() === this.offset.totalMicroseconds()
      : undefined;
  }
  [PY_HASH](): bigint {
    return deltaHash(this.offset.totalMicroseconds());
  }
  [PY_REPR](): string {
    if (this === PyTimezone.utc) return "datetime.timezone.utc";
    const off = pyRepr(this.offset);
    return this.name === null
      ? `datetime.timezone(${off})`
      : `datetime.timezone(${off}, ${pyRepr(this.name)})`;
  }
  get [PY_TYPE_NAME](): string {
    return "timezone";
  }
}

/** A tzinfo the library does not model (e.g. a zoneinfo.ZoneInfo) is kept as whatever the unpickler produced. */
export type PyTzInfo = PyTimezone | object | null;

// --- str(): Python's isoformat text ---------------------------------------------------------

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `HH:MM:SS[.ffffff]`, as `time.isoformat()`. */
function timeIso(t: PyTime | PyDateTime): string {
  const base = `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`;
  return t.microsecond ? `${base}.${pad(t.microsecond, 6)}` : base;
}

/**
 * The UTC offset as isoformat writes it (`+HH:MM`, then `:SS` and `.ffffff` when not zero);
 * empty when naive.
 * @throws PyValueError for a tzinfo this library does not model (its offset is unknown).
 */
function offsetIso(tz: PyTzInfo): string {
  const us = offsetOf(tz);
  if (us === null) return "";
  if (us === undefined) throw new PyValueError("utcoffset() of a tzinfo this library does not model");
  const sign = us < 0n ? "-" : "+";
  const abs = us < 0n ? -us : us;
  const secs = Number(abs / 1_000_000n);
  const frac = Number(abs % 1_000_000n);
  let text = `${sign}${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}`;
  if (secs % 60 || frac) text += `:${pad(secs % 60, 2)}`;
  if (frac) text += `.${pad(frac, 6)}`;
  return text;
}

/** Python's `datetime.date`. */
export class PyDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkRange(year, 1, 9999, "year");
    checkRange(month, 1, 12, "month");
    checkRange(day, 1, daysInMonth(year, month), "day");
  }
  /** Midnight UTC of this date as a JS Date. */
  toDate(): Date {
    const d = new Date(Date.UTC(2000, this.month - 1, this.day));
    d.setUTCFullYear(this.year);
    return d;
  }
  /** The UTC calendar date of a JS Date. */
  static fromDate(d: Date): PyDate {
    return new PyDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  /** `date.toordinal()`. */
  toOrdinal(): bigint {
    return ordinal(this.year, this.month, this.day);
  }
  [PY_EQ](other: unknown): boolean | undefined {
    if (!(other instanceof PyDate)) return undefined;
    return other.year === this.year && other.month === this.month && other.day === this.day;
  }
  [PY_HASH](): bigint {
    return naiveHash(DATE, this);
  }
  [PY_REPR](): string {
    return `datetime.date(${this.year}, ${this.month}, ${this.day})`;
  }
  /** Python's `str(date)`: `date.isoformat()`, `YYYY-MM-DD`. */
  toString(): string {
    return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.day, 2)}`;
  }
  /** `JSON.stringify` writes Python's `str(date)`. */
  toJSON(): string {
    return this.toString();
  }
  /** Text in template strings and `+` (Python's `str`); a number hint is NaN, as for a plain object. */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === "number" ? Number.NaN : this.toString();
  }
  get [PY_TYPE_NAME](): string {
    return "date";
  }
}

/** Python's `datetime.time`. */
export class PyTime {
  constructor(
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTzInfo = null,
    readonly fold: 0 | 1 = 0,
  ) {
    checkRange(hour, 0, 23, "hour");
    checkRange(minute, 0, 59, "minute");
    checkRange(second, 0, 59, "second");
    checkRange(microsecond, 0, 999999, "microsecond");
  }
  /** Aware times compare by UTC offset-adjusted value, naive ones by fields; naive != aware. */
  [PY_EQ](other: unknown): boolean | undefined {
    if (!(other instanceof PyTime)) return undefined;
    const a = offsetOf(this.tzinfo);
    const b = offsetOf(other.tzinfo);
    if (a === undefined || b === undefined) {
      return this.tzinfo === other.tzinfo ? timeMicros(this) === timeMicros(other) : undefined;
    }
    if ((a === null) !== (b === null)) return false;
    return timeMicros(this) - (a ?? 0n) === timeMicros(other) - (b ?? 0n);
  }
  [PY_HASH](): bigint {
    const off = offsetOf(this.tzinfo);
    if (off === undefined)
      throw new PyTypeError("unhashable: time with a tzinfo this library does not model");
    if (off === null) return naiveHash(TIME, this);
    return deltaHash(timeMicros(this) - off);
  }
  [PY_REPR](): string {
    const tz = this.tzinfo === null ? "" : `, tzinfo=${pyRepr(this.tzinfo)}`;
    return `datetime.time(${timeFields(this)}${tz}${this.fold ? ", fold=1" : ""})`;
  }
  /**
   * Python's `str(time)`: `time.isoformat()`, `HH:MM:SS[.ffffff][+HH:MM]`.
   * @throws PyValueError for a tzinfo this library does not model.
   */
  toString(): string {
    return timeIso(this) + offsetIso(this.tzinfo);
  }
  /** `JSON.stringify` writes Python's `str(time)`. */
  toJSON(): string {
    return this.toString();
  }
  /** Text in template strings and `+` (Python's `str`); a number hint is NaN. */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === "number" ? Number.NaN : this.toString();
  }
  get [PY_TYPE_NAME](): string {
    return "time";
  }
}

function timeMicros(t: PyTime | PyDateTime): bigint {
  return BigInt(t.hour * 3600 + t.minute * 60 + t.second) * 1_000_000n + BigInt(t.microsecond);
}

function timeFields(t: PyTime | PyDateTime): string {
  const hm = `${t.hour}, ${t.minute}`;
  if (t.microsecond) return `${hm}, ${t.second}, ${t.microsecond}`;
  return t.second ? `${hm}, ${t.second}` : hm;
}

/** Python's `datetime.datetime` (naive when `tzinfo` is null). */
export class PyDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTzInfo = null,
    readonly fold: 0 | 1 = 0,
  ) {
    checkRange(year, 1, 9999, "year");
    checkRange(month, 1, 12, "month");
    checkRange(day, 1, daysInMonth(year, month), "day");
    checkRange(hour, 0, 23, "hour");
    checkRange(minute, 0, 59, "minute");
    checkRange(second, 0, 59, "second");
    checkRange(microsecond, 0, 999999, "microsecond");
  }

  /**
   * The instant as a JS Date (milliseconds; the sub-millisecond part is dropped). A naive
   * datetime is read as UTC; an aware one with a `PyTimezone` is shifted by its offset.
   * @throws PyValueError for a tzinfo this library does not model.
   */
  toDate(): Date {
    const d = new Date(
      Date.UTC(
        2000,
        this.month - 1,
        this.day,
        this.hour,
        this.minute,
        this.second,
        Math.floor(this.microsecond / 1000),
      ),
    );
    d.setUTCFullYear(this.year);
    if (this.tzinfo === null) return d;
    if (!(this.tzinfo instanceof PyTimezone))
      throw new PyValueError("toDate(): tzinfo is not a fixed-offset timezone");
    return new Date(d.getTime() - Number(this.tzinfo.offset.totalMicroseconds() / 1000n));
  }

  /** Microseconds since 0001-01-01T00:00 in local (wall) time. */
  private wallMicros(): bigint {
    return (this.toOrdinal() - 1n) * US_PER_DAY + timeMicros(this);
  }
  /** `date.toordinal()` of the date part. */
  toOrdinal(): bigint {
    return ordinal(this.year, this.month, this.day);
  }
  /** Aware datetimes compare as instants, naive ones as wall times; naive != aware. */
  [PY_EQ](other: unknown): boolean | undefined {
    if (!(other instanceof PyDateTime)) return undefined;
    if (this.tzinfo === other.tzinfo) return this.wallMicros() === other.wallMicros();
    const a = offsetOf(this.tzinfo);
    const b = offsetOf(other.tzinfo);
    if (a === undefined || b === undefined) return undefined;
    if ((a === null) !== (b === null)) return false;
    return this.wallMicros() - (a ?? 0n) === other.wallMicros() - (b ?? 0n);
  }
  [PY_HASH](): bigint {
    const off = offsetOf(this.tzinfo);
    if (off === undefined)
      throw new PyTypeError("unhashable: datetime with a tzinfo this library does not model");
    if (off === null) return naiveHash(DATETIME, this);
    // CPython: hash(timedelta(toordinal(), seconds, microseconds) - utcoffset)
    return deltaHash(this.wallMicros() + US_PER_DAY - off);
  }
  [PY_REPR](): string {
    const tz = this.tzinfo === null ? "" : `, tzinfo=${pyRepr(this.tzinfo)}`;
    return `datetime.datetime(${this.year}, ${this.month}, ${this.day}, ${timeFields(this)}${this.fold ? ", fold=1" : ""}${tz})`;
  }
  get [PY_TYPE_NAME](): string {
    return "datetime";
  }
  /**
   * Python's `str(datetime)`: `isoformat(" ")`, `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]`.
   * @throws PyValueError for a tzinfo this library does not model.
   */
  toString(): string {
    return this.isoformat(" ");
  }
  /** Python's `datetime.isoformat(sep)` (default `"T"`). */
  isoformat(sep = "T"): string {
    return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.day, 2)}${sep}${timeIso(this)}${offsetIso(this.tzinfo)}`;
  }
  /** `JSON.stringify` writes `isoformat()` (with `T`: what JSON readers and `Date.parse` expect). */
  toJSON(): string {
    return this.isoformat();
  }
  /**
   * Text in template strings and `+` (Python's `str`); a number hint is the instant in epoch
   * milliseconds, as a JS Date gives (naive read as UTC, as `toDate()` does).
   */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === "number" ? this.toDate().getTime() : this.toString();
  }

  /** An aware UTC datetime for a JS Date (or naive, with `naive: true`). */
  static fromDate(d: Date, options: { naive?: boolean } = {}): PyDateTime {
    if (Number.isNaN(d.getTime())) throw new PyValueError("invalid Date");
    return new PyDateTime(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds() * 1000,
      options.naive ? null : PyTimezone.utc,
    );
  }
}

// --- pickle forms -------------------------------------------------------------------------

function dateBytes(year: number, month: number, day: number, out: Uint8Array): void {
  out[0] = year >> 8;
  out[1] = year & 0xff;
  out[2] = month;
  out[3] = day;
}

function timeBytes(h: number, m: number, s: number, us: number, out: Uint8Array, at: number): void {
  out[at] = h;
  out[at + 1] = m;
  out[at + 2] = s;
  out[at + 3] = (us >> 16) & 0xff;
  out[at + 4] = (us >> 8) & 0xff;
  out[at + 5] = us & 0xff;
}

/** CPython writes `fold` into the state only for protocol 4 and above. */
function withTz(state: Uint8Array, tzinfo: PyTzInfo): unknown[] {
  return tzinfo === null ? [state] : [state, tzinfo];
}

export const DATE: ClassRegistration<PyDate> = {
  module: "datetime",
  name: "date",
  freshQualname: true,
  jsClass: PyDate,
  reduce(d): ReduceValue {
    const b = new Uint8Array(4);
    dateBytes(d.year, d.month, d.day, b);
    return [DATE, [b]];
  },
  call(args) {
    const b = stateBytes(args[0], 4, "date");
    if (b !== undefined && args.length === 1 && b[2]! >= 1 && b[2]! <= 12) {
      return new PyDate((b[0]! << 8) | b[1]!, b[2]!, b[3]!);
    }
    return new PyDate(int(args[0], "year"), int(args[1], "month"), int(args[2], "day"));
  },
};

export const TIME: ClassRegistration<PyTime> = {
  module: "datetime",
  name: "time",
  freshQualname: true,
  jsClass: PyTime,
  reduce(t, protocol): ReduceValue {
    const b = new Uint8Array(6);
    timeBytes(t.hour, t.minute, t.second, t.microsecond, b, 0);
    if (t.fold && protocol > 3) b[0]! |= 0x80;
    return [TIME, withTz(b, t.tzinfo)];
  },
  call(args) {
    const b = stateBytes(args[0], 6, "time");
    if (b !== undefined && (b[0]! & 0x7f) < 24) {
      const tz = (args[1] ?? null) as PyTzInfo;
      return new PyTime(
        b[0]! & 0x7f,
        b[1]!,
        b[2]!,
        (b[3]! << 16) | (b[4]! << 8) | b[5]!,
        tz,
        b[0]! & 0x80 ? 1 : 0,
      );
    }
    const [h = 0, m = 0, s = 0, us = 0, tz = null] = args;
    return new PyTime(
      int(h, "hour"),
      int(m, "minute"),
      int(s, "second"),
      int(us, "microsecond"),
      tz as PyTzInfo,
    );
  },
};

export const DATETIME: ClassRegistration<PyDateTime> = {
  module: "datetime",
  name: "datetime",
  freshQualname: true,
  jsClass: PyDateTime,
  reduce(d, protocol): ReduceValue {
    const b = new Uint8Array(10);
    dateBytes(d.year, d.month, d.day, b);
    timeBytes(d.hour, d.minute, d.second, d.microsecond, b, 4);
    if (d.fold && protocol > 3) b[2]! |= 0x80;
    return [DATETIME, withTz(b, d.tzinfo)];
  },
  call(args) {
    const b = stateBytes(args[0], 10, "datetime");
    if (b !== undefined && (b[2]! & 0x7f) >= 1 && (b[2]! & 0x7f) <= 12) {
      const tz = (args[1] ?? null) as PyTzInfo;
      return new PyDateTime(
        (b[0]! << 8) | b[1]!,
        b[2]! & 0x7f,
        b[3]!,
        b[4]!,
        b[5]!,
        b[6]!,
        (b[7]! << 16) | (b[8]! << 8) | b[9]!,
        tz,
        b[2]! & 0x80 ? 1 : 0,
      );
    }
    const [y, mo, d, h = 0, mi = 0, s = 0, us = 0, tz = null] = args;
    return new PyDateTime(
      int(y, "year"),
      int(mo, "month"),
      int(d, "day"),
      int(h, "hour"),
      int(mi, "minute"),
      int(s, "second"),
      int(us, "microsecond"),
      tz as PyTzInfo,
    );
  },
};

export const TIMEDELTA: ClassRegistration<PyTimeDelta> = {
  module: "datetime",
  name: "timedelta",
  freshQualname: true,
  jsClass: PyTimeDelta,
  reduce(t): ReduceValue {
    return [TIMEDELTA, [BigInt(t.days), BigInt(t.seconds), BigInt(t.microseconds)]];
  },
  call(args) {
    const [d = 0, s = 0, us = 0] = args;
    return new PyTimeDelta(int(d, "days"), int(s, "seconds"), int(us, "microseconds"));
  },
};

export const TIMEZONE: ClassRegistration<PyTimezone> = {
  module: "datetime",
  name: "timezone",
  freshQualname: true,
  jsClass: PyTimezone,
  reduce(tz): ReduceValue {
    // CPython's timezone.__reduce__ is (cls, __getinitargs__()): the name only when set.
    return [TIMEZONE, tz.name === null ? [tz.offset] : [tz.offset, tz.name]];
  },
  call(args) {
    const offset = args[0];
    if (!(offset instanceof PyTimeDelta))
      throw new PyValueError("timezone() argument 1 must be datetime.timedelta");
    const name = args[1];
    if (name !== undefined && typeof name !== "string")
      throw new PyValueError("timezone() argument 2 must be str");
    if (name === undefined && offset.totalMicroseconds() === 0n) return PyTimezone.utc;
    return new PyTimezone(offset, name ?? null);
  },
};

/**
 * A JS `Date` pickles as an aware UTC `datetime.datetime` (`tzinfo=datetime.timezone.utc`,
 * milliseconds as microseconds): the bytes CPython writes for that datetime. Loading gives a
 * `PyDateTime` (its `toDate()` is the Date again). `defaultRegistry` has it, registered by
 * class only (`registerClass`): `DATETIME` stays the registration of the name `datetime.datetime`.
 */
export const JS_DATE: ClassRegistration<Date> = {
  module: "datetime",
  name: "datetime",
  freshQualname: true,
  jsClass: Date,
  reduce(d, protocol): ReduceValue {
    return DATETIME.reduce!(PyDateTime.fromDate(d), protocol);
  },
};

/** Every registration of the datetime module (by name; `JS_DATE` is registered by class). */
export const DATETIME_TYPES: readonly ClassRegistration[] = [
  DATE,
  TIME,
  DATETIME,
  TIMEDELTA,
  TIMEZONE,
] as ClassRegistration[];
