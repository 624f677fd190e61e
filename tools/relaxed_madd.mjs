// Renumbers wasm's fused multiply-add from its prototype opcode to the final one.
//
// emcc 3.1.6 (clang 14, binaryen 108) writes f32x4.relaxed_madd as the relaxed-SIMD
// proposal's prototype opcode 0xfd 0xaf (LEB128: fd af 01, "f32x4.fma"); browsers
// and node 20 accept only the final opcode 0xfd 0x105 (fd 85 02). Both encode in
// three bytes and take a, b, c from the stack, so the body keeps its size. The code
// section is decoded instruction by instruction, so a byte pattern inside an
// immediate (a constant, an offset) is never touched; any opcode this decoder does
// not know stops the build rather than being guessed past.
//
//   node tools/relaxed_madd.mjs FILE [FILE ...]   # .wasm, a -sSINGLE_FILE .js/.cjs, or the .js beside its .wasm
// Prints how many instructions it renumbered in each file.
import fs from "node:fs";

const PROTO_MADD = 0xaf;   // f32x4.fma (prototype)
const PROTO_NMADD = 0xb0;  // f32x4.fms (prototype): not emitted by our code; refused
const FINAL_MADD = 0x105;  // f32x4.relaxed_madd

class Reader {
  constructor(bytes, pos = 0) { this.b = bytes; this.p = pos; }
  byte() {
    if (this.p >= this.b.length) throw new Error("unexpected end of module");
    return this.b[this.p++];
  }
  u32() {  // unsigned LEB128
    let result = 0, shift = 0, byte;
    do { byte = this.byte(); result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return result;
  }
  skipLeb() { while (this.byte() & 0x80); }
  skip(n) { this.p += n; }
}

// Skips one instruction's immediates after its opcode `op` (and sub-opcode `sub` for prefixes).
function skipBlockType(r) { r.skipLeb(); }  // 0x40, a value type or an s33 type index: all one LEB
function skipMemarg(r) { r.u32(); r.u32(); }

// Returns the positions of the prototype madd's sub-opcode in one function body [pos, end).
function scanBody(bytes, pos, end, sites) {
  const r = new Reader(bytes, pos);
  const localGroups = r.u32();
  for (let i = 0; i < localGroups; ++i) { r.u32(); r.skipLeb(); }
  while (r.p < end) {
    const at = r.p;
    const op = r.byte();
    if (op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b ||
        op === 0xd1 || (op >= 0x45 && op <= 0xc4)) continue;               // no immediates
    if (op >= 0x02 && op <= 0x04) { skipBlockType(r); continue; }        // block, loop, if
    if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12 || op === 0xd2 ||
        (op >= 0x20 && op <= 0x26)) { r.u32(); continue; }               // one index
    if (op === 0x0e) { const n = r.u32(); for (let i = 0; i <= n; ++i) r.u32(); continue; }
    if (op === 0x11 || op === 0x13) { r.u32(); r.u32(); continue; }      // call_indirect
    if (op === 0x1c) { const n = r.u32(); for (let i = 0; i < n; ++i) r.skipLeb(); continue; }
    if (op >= 0x28 && op <= 0x3e) { skipMemarg(r); continue; }           // loads, stores
    if (op === 0x3f || op === 0x40) { r.byte(); continue; }              // memory.size/grow
    if (op === 0x41 || op === 0x42) { r.skipLeb(); continue; }
    if (op === 0x43) { r.skip(4); continue; }
    if (op === 0x44) { r.skip(8); continue; }
    if (op === 0xd0) { r.byte(); continue; }                             // ref.null t
    if (op === 0xfc) {
      const sub = r.u32();
      if (sub <= 7) continue;                                            // saturating truncations
      if (sub === 8) { r.u32(); r.byte(); continue; }                    // memory.init
      if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) { r.u32(); continue; }
      if (sub === 10) { r.byte(); r.byte(); continue; }                  // memory.copy
      if (sub === 11) { r.byte(); continue; }                            // memory.fill
      if (sub === 12 || sub === 14) { r.u32(); r.u32(); continue; }      // table.init, table.copy
      throw new Error(`unknown 0xfc ${sub} at byte ${at}`);
    }
    if (op === 0xfd) {
      const subAt = r.p;
      const sub = r.u32();
      if (sub <= 11 || sub === 0x5c || sub === 0x5d) { skipMemarg(r); continue; }  // v128 loads, store
      if (sub === 12 || sub === 13) { r.skip(16); continue; }            // v128.const, shuffle
      if (sub >= 21 && sub <= 34) { r.byte(); continue; }                // extract/replace lane
      if (sub >= 0x54 && sub <= 0x5b) { skipMemarg(r); r.byte(); continue; }  // load/store lane
      if (sub === PROTO_MADD) {
        if (r.p - subAt !== 2) throw new Error(`f32x4.fma at byte ${at} is not in two bytes`);
        sites.push(subAt);
        continue;
      }
      if (sub === FINAL_MADD) continue;                                  // renumbered already
      if (sub === PROTO_NMADD || sub > 0xff) throw new Error(`relaxed SIMD opcode 0xfd ${sub} at byte ${at}: not handled`);
      continue;                                                          // the rest: no immediates
    }
    throw new Error(`unknown opcode 0x${op.toString(16)} at byte ${at}`);
  }
  if (r.p !== end) throw new Error(`function body ends at ${r.p}, expected ${end}`);
}

// Renumbers every prototype madd in a wasm module in place; returns how many.
export function renumberRelaxedMadd(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error("not a wasm module");
  const r = new Reader(bytes, 8);
  const sites = [];
  while (r.p < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.p + size;
    if (id === 10) {  // code
      const count = r.u32();
      for (let f = 0; f < count; ++f) {
        const bodySize = r.u32();
        scanBody(bytes, r.p, r.p + bodySize, sites);
        r.p += bodySize;
      }
      if (r.p !== end) throw new Error("code section size mismatch");
    }
    r.p = end;
  }
  const lo = FINAL_MADD & 0x7f | 0x80, hi = FINAL_MADD >> 7;
  for (const at of sites) { bytes[at] = lo; bytes[at + 1] = hi; }
  return sites.length;
}

// A -sSINGLE_FILE script carries its module as a base64 data URI.
const DATA_URI = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/;

function renumberFile(file) {
  if (file.endsWith(".wasm")) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const n = renumberRelaxedMadd(bytes);
    fs.writeFileSync(file, bytes);
    return n;
  }
  const text = fs.readFileSync(file, "utf8");
  const m = DATA_URI.exec(text);
  if (!m) {  // the glue of a module in its own file: name.js beside name.wasm
    const wasm = file.replace(/\.c?js$/, ".wasm");
    if (wasm === file || !fs.existsSync(wasm)) throw new Error(`${file}: no embedded module and no ${wasm}`);
    return renumberFile(wasm);
  }
  const bytes = new Uint8Array(Buffer.from(m[1], "base64"));
  const n = renumberRelaxedMadd(bytes);
  const out = text.slice(0, m.index) + `data:application/octet-stream;base64,${Buffer.from(bytes).toString("base64")}` +
              text.slice(m.index + m[0].length);
  fs.writeFileSync(file, out);
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    try {
      console.log(`${file}: ${renumberFile(file)} f32x4.relaxed_madd`);
    } catch (e) {
      console.error(`relaxed_madd: ${file}: ${e.message}`);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}
