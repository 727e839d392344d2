/**
 * JS values users have: a JS Date pickles as CPython's aware UTC datetime, byte for byte; the
 * standard types print as Python's `str()` (toString, template strings, JSON.stringify);
 * natural `dumps` of JS numbers: integral numbers are Python ints (1e300 is a 301-digit int),
 * and `model: "faithful"` or `PyFloat`-free ways to write floats are documented and tested.
 */
import { type PythonOracle, startPython } from "@x/python-oracle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ClassRegistry,
  DATETIME,
  defaultRegistry,
  dumps,
  loads,
  PyDate,
  PyDateTime,
  PyDecimal,
  PyTime,
  PyTimeDelta,
  PyTimezone,
  PyUUID,
  pyRepr,
} from "../src/index.js";

let py: PythonOracle;
beforeAll(async () => {
  py = await startPython();
  await py.exec(`
import pickle, datetime as dt, decimal, uuid
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
def date_pickle(ms, proto):
    return pickle.dumps(EPOCH + dt.timedelta(milliseconds=ms), proto)
`);
});
afterAll(() => py.close());

const INSTANTS = [
  Date.UTC(2024, 1, 29, 13, 5, 7, 123),
  0,
  -1,
  Date.UTC(1, 0, 1) + 0, // year 1 (Date.UTC maps 1 to 1901: fixed below)
  Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  Date.UTC(1969, 6, 20, 20, 17, 40),
];
INSTANTS[3] = (() => {
  const d = new Date(Date.UTC(2000, 0, 1));
  d.setUTCFullYear(1);
  return d.getTime();
})();

describe("a JS Date pickles as an aware UTC datetime.datetime", () => {
  test("the bytes CPython writes for the same datetime, at every protocol", async () => {
    for (const ms of INSTANTS) {
      for (let proto = 0; proto <= 5; proto++) {
        const theirs = await py.call<Uint8Array>("date_pickle", ms, proto);
        expect(dumps(new Date(ms), { protocol: proto }), `${new Date(ms).toISOString()} p${proto}`).toEqual(
          theirs,
        );
      }
    }
  });

  test("Python reads it as the same instant; loading gives a PyDateTime whose toDate() is the Date", async () => {
    const d = new Date(INSTANTS[0]!);
    const bytes = dumps({ when: d, list: [d, d] });
    expect(await py.eval("repr(pickle.loads(b))", { b: bytes })).toBe(
      "{'when': datetime.datetime(2024, 2, 29, 13, 5, 7, 123000, tzinfo=datetime.timezone.utc), 'list': [datetime.datetime(2024, 2, 29, 13, 5, 7, 123000, tzinfo=datetime.timezone.utc), datetime.datetime(2024, 2, 29, 13, 5, 7, 123000, tzinfo=datetime.timezone.utc)]}",
    );
    const back = loads<{ when: PyDateTime }>(bytes);
    expect(back.when).toBeInstanceOf(PyDateTime);
    expect(back.when.toDate().getTime()).toBe(d.getTime());
  });

  test("an invalid Date is a clear error; a registry made from the default one keeps Date", () => {
    expect(() => dumps(new Date(Number.NaN))).toThrow(/invalid Date/);
    const child = new ClassRegistry(defaultRegistry);
    expect(dumps(new Date(0), { registry: child })).toEqual(dumps(new Date(0)));
    expect(child.lookup("datetime", "datetime")).toBe(DATETIME);
  });
});

describe("str(), toJSON() and Symbol.toPrimitive of the standard types", () => {
  const cases: [string, unknown][] = [
    ["dt.date(2024, 2, 29)", new PyDate(2024, 2, 29)],
    ["dt.date(5, 1, 2)", new PyDate(5, 1, 2)],
    ["dt.time(1, 2, 3)", new PyTime(1, 2, 3)],
    ["dt.time(1, 2, 3, 4)", new PyTime(1, 2, 3, 4)],
    [
      "dt.time(23, 59, 0, 10, tzinfo=dt.timezone(dt.timedelta(hours=-5, seconds=-30)))",
      new PyTime(23, 59, 0, 10, new PyTimezone(new PyTimeDelta(0, -5 * 3600 - 30))),
    ],
    ["dt.datetime(2020, 1, 2, 3, 4, 5)", new PyDateTime(2020, 1, 2, 3, 4, 5)],
    [
      "dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)",
      new PyDateTime(2020, 1, 2, 3, 4, 5, 6, PyTimezone.utc),
    ],
    [
      "dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30, microseconds=7)))",
      new PyDateTime(1, 1, 1, 0, 0, 0, 0, new PyTimezone(new PyTimeDelta(0, 5 * 3600 + 1800, 7))),
    ],
    ["decimal.Decimal('1.50')", new PyDecimal("1.50")],
    ["decimal.Decimal('-1E+3')", new PyDecimal("-1E+3")],
    ["decimal.Decimal('0.000001')", new PyDecimal("0.000001")],
    ["decimal.Decimal('-Infinity')", new PyDecimal("-Infinity")],
    ["uuid.UUID(int=0x12345678123456781234567812345678)", new PyUUID(0x12345678123456781234567812345678n)],
  ];
  for (const [expr, value] of cases) {
    test(expr, async () => {
      const str = await py.eval<string>(`str(${expr})`);
      expect(String(value)).toBe(str);
      expect(`${value}`).toBe(str);
      expect((value as object).toString()).toBe(str);
      const iso = await py.eval<string>(
        `(lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v))(${expr})`,
      );
      expect(JSON.parse(JSON.stringify({ v: value })).v).toBe(iso);
    });
  }

  test("number hints: a datetime is its epoch milliseconds, a Decimal its nearest number", () => {
    const d = new PyDateTime(2020, 1, 2, 3, 4, 5, 6000, PyTimezone.utc);
    expect(+d).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    expect(+new PyDecimal("1.50") * 2).toBe(3);
    expect(Number.isNaN(+new PyDate(2020, 1, 1))).toBe(true);
  });
});

describe("natural dumps of JS numbers", () => {
  test("an integral number is a Python int, 1e300 included (301 digits), as Python reads it", async () => {
    const bytes = dumps(1e300);
    expect(await py.eval("type(pickle.loads(b)).__name__", { b: bytes })).toBe("int");
    expect(await py.eval("len(str(pickle.loads(b)))", { b: bytes })).toBe(301);
    expect(await py.eval("pickle.loads(b) == int(1e300)", { b: bytes })).toBe(true);
    expect(await py.eval("type(pickle.loads(b)).__name__", { b: dumps(1.5) })).toBe("float");
  });

  test("floats when wanted: model 'faithful' writes every JS number as a float", async () => {
    const bytes = dumps([1e300, 2, -0], { model: "faithful" });
    expect(await py.eval("repr(pickle.loads(b))", { b: bytes })).toBe("[1e+300, 2.0, -0.0]");
    expect(await py.eval("pickle.loads(b) == [1e300, 2.0, 0.0]", { b: bytes })).toBe(true);
    expect(pyRepr(loads(bytes, { model: "faithful" }))).toBe("[1e+300, 2.0, -0.0]");
  });
});
