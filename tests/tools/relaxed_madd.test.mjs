// tools/relaxed_madd.mjs renumbers f32x4.fma (prototype, fd af 01) to
// f32x4.relaxed_madd (fd 85 02) and nothing else: the same three bytes inside a
// v128.const are data, and stay. The renumbered module validates where relaxed
// SIMD is on, and computes a * b + c with one rounding on this machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import { renumberRelaxedMadd } from "../../tools/relaxed_madd.mjs";

v8.setFlagsFromString("--experimental-wasm-relaxed-simd");

const f32x4 = (x) => { const b = new Uint8Array(16), v = new DataView(b.buffer);
                       for (let i = 0; i < 4; ++i) v.setFloat32(4 * i, x, true); return [...b]; };
// (func (export "f") (result f32) a a c fma  [a v128.const holding fd af 01 ...] drop  extract_lane 0)
function module(madd) {
  const a = f32x4(1 + 2 ** -12), c = f32x4(-(1 + 2 ** -11));
  const decoy = [0xfd, 0xaf, 0x01, ...new Array(13).fill(0)];
  const body = [0, 253, 12, ...a, 253, 12, ...a, 253, 12, ...c, 253, ...madd, 253, 12, ...decoy, 0x1a,
                253, 31, 0, 11];
  return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 125, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0,
                         10, body.length + 2, 1, body.length, ...body]);
}

test("renumbers the prototype's multiply-add, leaves the same bytes in a constant alone", () => {
  const bytes = module([0xaf, 0x01]);
  assert.equal(WebAssembly.validate(bytes), false, "the prototype opcode is refused");
  assert.equal(renumberRelaxedMadd(bytes), 1);
  assert.deepEqual(bytes, module([0x85, 0x02]));
  assert.equal(WebAssembly.validate(bytes), true);
  const f = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
  assert.equal(f(), 2 ** -24, "one rounding: a * a - (1 + 2^-11) = 2^-24");
  assert.equal(renumberRelaxedMadd(bytes), 0, "a second pass finds nothing to do");
});

test("refuses what it cannot decode rather than guess past it", () => {
  const bytes = module([0xaf, 0x01]);
  bytes[bytes.length - 4] = 0xfb;  // 0xfd 31 0 -> 0xfb 31 0: an opcode prefix it does not know
  assert.throws(() => renumberRelaxedMadd(bytes), /unknown opcode 0xfb/);
  assert.throws(() => renumberRelaxedMadd(new Uint8Array([1, 2, 3, 4])), /not a wasm module/);
});
