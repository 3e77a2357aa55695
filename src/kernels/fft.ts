/**
 * Binding of the forward Stockham FFT kernel (src/kernels/assembly/fft.ts; the algorithm and its
 * conventions in src/ibsi/fft.ts): a workspace lays out, in kernel memory, the float64 arrays of a
 * whole computation and the tables of its FFT plans, so that the transforms run in WebAssembly on
 * the arrays where they are (no copy in or out per transform) and the surrounding TypeScript reads
 * and writes the same arrays as ordinary Float64Array views.
 *
 * Usage: reserve every array and plan, commit once, then take the views (valid until the next
 * kernel call of any other binding, which may reuse or grow the memory: a workspace serves one
 * computation that calls no other kernel).
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface FftExports extends KernelExports {
  stockhamForward(
    n: number,
    radices: number,
    radixCount: number,
    cos: number,
    sin: number,
    constants: number,
    lanes: number,
    xr: number,
    xi: number,
    yr: number,
    yi: number,
  ): number;
}

/** A Stockham plan's tables: its radices (product n), cos and sin of 2 pi i / n, i < n. */
export interface StockhamTables {
  n: number;
  radices: readonly number[];
  cos: Float64Array;
  sin: Float64Array;
  /** [sin 60, cos 72, cos 144, sin 72, sin 144], as the TypeScript butterflies use them. */
  constants: Float64Array;
}

/** A plan's tables placed in a workspace (byte offsets). */
export interface KernelStockham {
  n: number;
  radixCount: number;
  radices: number;
  cos: number;
  sin: number;
  constants: number;
}

export class KernelFftWorkspace {
  private readonly frame = new KernelFrame<FftExports>();
  private committed = false;
  /** Bytes of kernel memory before the commit grew it: beyond, memory is fresh (all zero). */
  private freshFrom = 0;

  /** Reserves a float64 array of `count` values; its view comes from `float64` after commit. */
  reserve(count: number): number {
    this.assertOpen();
    return this.frame.reserve64(count);
  }

  /** Places any typed array (copied in by commit); its byte offset. */
  input(data: ArrayBufferView): number {
    this.assertOpen();
    return this.frame.input(data);
  }

  /**
   * A plan's descriptor for kernels that run transforms themselves (six i32, placed by this call):
   * n, the radix count, the pointers of the radices, cos, sin and constants; a plan of length 1
   * (no tables, no stage) is [1, 0, 0, 0, 0, 0].
   */
  descriptor(plan: KernelStockham | null): number {
    const p = plan ?? { n: 1, radixCount: 0, radices: 0, cos: 0, sin: 0, constants: 0 };
    return this.input(Int32Array.of(p.n, p.radixCount, p.radices, p.cos, p.sin, p.constants));
  }

  /** The kernels' exports (after commit), for bindings that run their own kernels here. */
  get exports(): KernelExports {
    if (!this.committed) throw new Error("KernelFftWorkspace: commit before running kernels");
    return this.frame.wasm;
  }

  /** Places a plan's tables (copied in by commit). */
  plan(tables: StockhamTables): KernelStockham {
    this.assertOpen();
    return {
      n: tables.n,
      radixCount: tables.radices.length,
      radices: this.frame.input(Int32Array.from(tables.radices)),
      cos: this.frame.input(tables.cos),
      sin: this.frame.input(tables.sin),
      constants: this.frame.input(tables.constants),
    };
  }

  /** Grows the memory to fit and copies the plans' tables in. */
  commit(): void {
    this.assertOpen();
    this.freshFrom = this.frame.wasm.memory.buffer.byteLength;
    this.frame.commit();
    this.committed = true;
  }

  /** The reserved array at `at` (its previous contents are left: fill what must start at 0). */
  float64(at: number, count: number): Float64Array {
    if (!this.committed) throw new Error("KernelFftWorkspace: commit before taking views");
    return this.frame.float64(at, count);
  }

  /** The int32 array placed at `at` (input). */
  int32(at: number, count: number): Int32Array {
    if (!this.committed) throw new Error("KernelFftWorkspace: commit before taking views");
    return this.frame.int32(at, count);
  }

  /**
   * The reserved array at `at`, all zero: only the part below the memory's size before the commit
   * is cleared (an earlier call may have left values there; grown WebAssembly memory is zero).
   */
  zeroed(at: number, count: number): Float64Array {
    const view = this.float64(at, count);
    const reused = Math.max(0, Math.min(count, Math.floor((this.freshFrom - at) / 8)));
    view.fill(0, 0, reused);
    return view;
  }

  /** True when `a` is a view on this workspace's memory (the kernel can reach it). */
  holds(a: Float64Array): boolean {
    return this.committed && a.buffer === this.frame.wasm.memory.buffer;
  }

  /**
   * The forward transform of `lanes` sequences of length plan.n in (xr, xi), views from this
   * workspace, with (yr, yi) as scratch; true when the result ended in the scratch.
   */
  forward(
    plan: KernelStockham,
    lanes: number,
    xr: Float64Array,
    xi: Float64Array,
    yr: Float64Array,
    yi: Float64Array,
  ): boolean {
    const used = plan.n * lanes;
    for (const a of [xr, xi, yr, yi]) {
      if (!this.holds(a) || a.length < used)
        throw new Error(`KernelFftWorkspace: ${used} values in kernel memory expected`);
    }
    return (
      this.frame.wasm.stockhamForward(
        plan.n,
        plan.radices,
        plan.radixCount,
        plan.cos,
        plan.sin,
        plan.constants,
        lanes,
        xr.byteOffset,
        xi.byteOffset,
        yr.byteOffset,
        yi.byteOffset,
      ) === 1
    );
  }

  private assertOpen(): void {
    if (this.committed) throw new Error("KernelFftWorkspace: already committed");
  }
}
