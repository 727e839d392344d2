import { PyDict, pyEquals, pyHash, pyRepr } from "@x/pyobject";
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dumps, loads } from "../src/index.js";
import { ClassRegistry } from "../src/registry.js";
import {
  DATETIME_TYPES,
  PyDate,
  PyDateTime,
  PyTime,
  PyTimeDelta,
  PyTimezone,
} from "../src/types/datetime.js";

let py: PythonOracle;
const registry = new ClassRegistry();
for (const r of DATETIME_TYPES) registry.register(r);

beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, datetime
from datetime import date, time, timedelta, timezone
UTC = timezone.utc
CASES = {
  "date": date(2024, 2, 29),
  "date_min": date(1, 1, 1),
  "date_max": date(9999, 12, 31),
  "dt_naive": datetime.datetime(2020, 1, 2, 3, 4, 5, 678901),
  "dt_utc": datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
  "dt_offset": datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5, minutes=-30), "X")),
  "dt_fold": datetime.datetime(2021, 11, 7, 1, 30, fold=1),
  "time": time(1, 2, 3, 4),
  "time_fold": time(23, 59, 59, 999999, fold=1),
  "time_tz": time(12, tzinfo=timezone(timedelta(hours=3))),
  "td": timedelta(days=-1, seconds=5, microseconds=7),
  "td_big": timedelta(days=999999999, seconds=86399, microseconds=999999),
  "tz_utc": UTC,
  "tz_named": timezone(timedelta(minutes=90), "plus"),
  "mixed": [date(2000, 1, 1), {"when": datetime.datetime(2001, 2, 3, tzinfo=UTC)}, timedelta(0)],
}
def dump_case(name, proto):
    return pickle.dumps(CASES[name], proto)
def check(name, proto, data):
    # what CPython itself gets back at this protocol (fold is kept only at protocol 4+)
    expected = pickle.loads(pickle.dumps(CASES[name], proto))
    return pickle.loads(data) == expected and repr(pickle.loads(data)) == repr(expected)
def repr_case(name):
    return repr(CASES[name])
def hash_case(name):
    return hash(CASES[name])
def fold_of(data):
    v = pickle.loads(data)
    return v.fold
`);
});
afterAll(async () => {
  await py.close();
});

const NAMES = [
  "date",
  "date_min",
  "date_max",
  "dt_naive",
  "dt_utc",
  "dt_offset",
  "dt_fold",
  "time",
  "time_fold",
  "time_tz",
  "td",
  "td_big",
  "tz_utc",
  "tz_named",
  "mixed",
];

describe.each([0, 1, 2, 3, 4, 5])("protocol %i", (proto) => {
  for (const name of NAMES) {
    test(`${name} loads and dumps back to CPython's bytes`, async () => {
      const data = await py.call<Uint8Array>("dump_case", name, proto);
      for (const model of ["natural", "faithful"] as const) {
        const value = loads(data, { registry, model });
        const again = dumps(value, { protocol: proto, registry, model });
        expect(await py.call("check", name, proto, again)).toBe(true);
        expect(Buffer.from(again).toString("latin1")).toBe(Buffer.from(data).toString("latin1"));
      }
    });
  }
});

test("repr, ==, hash follow CPython", async () => {
  for (const name of NAMES.filter((n) => n !== "mixed")) {
    const v = loads(await py.call<Uint8Array>("dump_case", name, 4), { registry, model: "faithful" });
    expect(pyRepr(v), name).toBe(await py.call("repr_case", name));
    expect(pyHash(v), name).toBe(BigInt(await py.call<number | bigint>("hash_case", name)));
  }
  const utc = new PyDateTime(2020, 1, 1, 12, 0, 0, 0, PyTimezone.utc);
  const plus1 = new PyDateTime(2020, 1, 1, 13, 0, 0, 0, new PyTimezone(new PyTimeDelta(0, 3600)));
  expect(pyEquals(utc, plus1)).toBe(true);
  expect(pyHash(utc)).toBe(pyHash(plus1));
  expect(pyEquals(utc, new PyDateTime(2020, 1, 1, 12))).toBe(false); // aware != naive
  expect(pyEquals(new PyTimeDelta(1), new PyTimeDelta(0, 86400))).toBe(true);
  expect(pyEquals(new PyDate(2020, 1, 1), new PyDate(2020, 1, 1))).toBe(true);
  const d = new PyDict<unknown, unknown>([[new PyDate(2020, 1, 1), "x"]]);
  expect(d.get(new PyDate(2020, 1, 1))).toBe("x");
});

test("loaded values are the faithful JS classes", async () => {
  const dt = loads(await py.call<Uint8Array>("dump_case", "dt_offset", 5), { registry }) as PyDateTime;
  expect(dt).toBeInstanceOf(PyDateTime);
  expect([dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond]).toEqual([
    1999, 12, 31, 23, 59, 59, 999999,
  ]);
  expect(dt.tzinfo).toBeInstanceOf(PyTimezone);
  expect((dt.tzinfo as PyTimezone).name).toBe("X");
  expect((dt.tzinfo as PyTimezone).offset.totalMicroseconds()).toBe(-19_800_000_000n);
  expect(dt.toDate().toISOString()).toBe("2000-01-01T05:29:59.999Z");
  const td = loads(await py.call<Uint8Array>("dump_case", "td", 2), { registry }) as PyTimeDelta;
  expect([td.days, td.seconds, td.microseconds]).toEqual([-1, 5, 7]);
  const t = loads(await py.call<Uint8Array>("dump_case", "time_fold", 4), { registry }) as PyTime;
  expect(t.fold).toBe(1);
  expect(loads(await py.call<Uint8Array>("dump_case", "date", 3), { registry })).toEqual(
    new PyDate(2024, 2, 29),
  );
});

test("fold is written only at protocol 4 and above, as CPython does", async () => {
  const v = new PyDateTime(2021, 11, 7, 1, 30, 0, 0, null, 1);
  expect(await py.call("fold_of", dumps(v, { protocol: 3, registry }))).toBe(0);
  expect(await py.call("fold_of", dumps(v, { protocol: 4, registry }))).toBe(1);
});

test("JS Date converts both ways", () => {
  const d = new Date("2024-05-06T07:08:09.123Z");
  const dt = PyDateTime.fromDate(d);
  expect(dt.microsecond).toBe(123000);
  expect(dt.tzinfo).toBe(PyTimezone.utc);
  expect(dt.toDate().getTime()).toBe(d.getTime());
  expect(PyDate.fromDate(d).toDate().toISOString()).toBe("2024-05-06T00:00:00.000Z");
});

test("out-of-range fields are rejected with ValueError", () => {
  expect(() => new PyDate(2023, 2, 29)).toThrow(/day must be in/);
  expect(() => new PyTime(24)).toThrow(/hour/);
  expect(() => new PyTimezone(new PyTimeDelta(1))).toThrow(/strictly between/);
});
