/**
 * The WebAssembly kernels' instance and memory (pure: Node, workers and the browser alike). The
 * module is compiled from src/kernels/assembly by scripts/build-kernels.mjs and embedded as base64,
 * so nothing is fetched or read at run time. Compiled code runs at full speed from its first call,
 * in a cold process and in every worker: the point of moving hot loops here.
 *
 * Memory: a kernel call lays its arrays out from heapStart() (a KernelFrame), grows the memory to
 * fit, copies its inputs in and its outputs out. Calls do not nest and JavaScript does not yield
 * during one, so every call may reuse the same memory.
 */
import { KERNELS_WASM_BASE64 } from "./generated/kernels-binary.js";

/**
 * What every kernel module export has (pointers are byte offsets into `memory`); each binding
 * extends it with the kernels it calls (their signatures beside their AssemblyScript source).
 */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapStart(): number;
}

let compiled: WebAssembly.Module | null = null;
let instance: KernelExports | null = null;

/** Base64 to bytes with the platform's atob (a cold loop over the ~80 KB module: ~2 ms). */
export function decodeWithAtob(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let decodeBase64: (base64: string) => Uint8Array = decodeWithAtob;

/**
 * Replaces the decoder of the embedded module (an edge with a native one: src/node/kernel-bytes.ts
 * installs Node's, ~0.1 ms, which every cold process and worker thread saves). Same bytes.
 */
export function setBase64Decoder(decoder: (base64: string) => Uint8Array): void {
  decodeBase64 = decoder;
}

/** The module's bytes, decoded by the installed decoder. */
export function wasmModuleBytes(): Uint8Array {
  return decodeBase64(KERNELS_WASM_BASE64);
}

const imports = {
  env: {
    // AssemblyScript's abort (unreachable with --noAssert unless a kernel is given bad sizes).
    abort(): never {
      throw new Error("radscore kernel aborted (internal error)");
    },
  },
  // JavaScript's own Math functions that src/kernels/assembly/math.ts declares (imports).
  math: {
    pow: Math.pow,
    hypot2: (x: number, y: number) => Math.hypot(x, y),
    hypot3: (x: number, y: number, z: number) => Math.hypot(x, y, z),
  },
};

/**
 * Compiles the kernels ahead of first use without blocking (browsers refuse synchronous
 * compilation of large modules on their main thread); optional elsewhere.
 */
export async function preloadKernels(): Promise<void> {
  if (instance) return;
  compiled ??= await WebAssembly.compile(wasmModuleBytes() as BufferSource);
  instance ??= (await WebAssembly.instantiate(compiled, imports))
    .exports as unknown as KernelExports;
}

/** The kernels, compiled and instantiated synchronously on first use. */
export function kernels(): KernelExports {
  if (!instance) {
    compiled ??= new WebAssembly.Module(wasmModuleBytes() as BufferSource);
    instance = new WebAssembly.Instance(compiled, imports).exports as unknown as KernelExports;
  }
  return instance;
}

/**
 * One kernel call's memory layout: reserve each array (16-byte aligned, for SIMD loads) or place an
 * input, then `commit` grows the memory to fit and copies the inputs in; views on the memory are
 * valid until the next growth.
 */
export class KernelFrame<Exports extends KernelExports = KernelExports> {
  readonly wasm = kernels() as Exports;
  private end: number;
  private readonly inputs: { at: number; data: ArrayBufferView }[] = [];

  constructor() {
    this.end = align16(this.wasm.heapStart());
  }

  /** Byte offset of a new array of `count` 4-byte (Int32 / Float32) elements. */
  reserve32(count: number): number {
    return this.reserveBytes(count * 4);
  }

  /** Byte offset of a new array of `count` Float64 elements. */
  reserve64(count: number): number {
    return this.reserveBytes(count * 8);
  }

  reserveBytes(bytes: number): number {
    const at = this.end;
    this.end = align16(at + bytes);
    return at;
  }

  /** Byte offset where `data` (any typed array) will be, copied in by `commit`. */
  input(data: ArrayBufferView): number {
    const at = this.reserveBytes(data.byteLength);
    this.inputs.push({ at, data });
    return at;
  }

  /** Grows the memory to hold everything reserved and copies the inputs in. */
  commit(): void {
    const memory = this.wasm.memory;
    const missing = this.end - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    for (const { at, data } of this.inputs.splice(0)) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      new Uint8Array(memory.buffer, at, data.byteLength).set(bytes);
    }
  }

  uint8(at: number, count: number): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer, at, count);
  }

  int32(at: number, count: number): Int32Array {
    return new Int32Array(this.wasm.memory.buffer, at, count);
  }

  float32(at: number, count: number): Float32Array {
    return new Float32Array(this.wasm.memory.buffer, at, count);
  }

  float64(at: number, count: number): Float64Array {
    return new Float64Array(this.wasm.memory.buffer, at, count);
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
