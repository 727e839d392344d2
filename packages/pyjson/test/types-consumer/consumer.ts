// A consumer with lib es2022 only (no DOM lib, no @types/node), importing the built package by name.
import {
  dumps,
  isPyDict,
  JSONDecoder,
  type JSONReadableStream,
  load,
  loads,
  PyDict,
  PyTuple,
  pyRepr,
} from "@x/pyjson";

interface Point {
  x: number;
  y: number;
}
const p: Point = loads<Point>('{"x": 1, "y": 2}');
const q: unknown = loads(new Uint8Array([0x31]));
loads(new ArrayBuffer(1));
loads(new DataView(new ArrayBuffer(1)));
loads(new Uint16Array(1));
const d = loads('{"a": 1}', { model: "faithful" });
if (isPyDict(d)) d.get("a");
const text: string = dumps(new PyDict([["a", new PyTuple([1, 2])]]));
const repr: string = pyRepr(new PyTuple([1]));
const stream: JSONReadableStream = {
  getReader: () => ({ read: async () => ({ done: true }), releaseLock: () => {} }),
};
const later: Promise<Point> = load<Point>(stream);
new JSONDecoder().decode("1");

export { later, p, q, repr, text };
