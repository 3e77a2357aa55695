/**
 * Binding of the recursive-Gaussian kernels (src/kernels/assembly/gaussian.ts, where ITK's line
 * filter is documented): a volume copied once into kernel memory, any chain of passes along its
 * axes run there, and, for the Laplacian of Gaussian, the passes accumulated there too, so that
 * only the input goes in and the result comes out.
 */
import type { RecursiveGaussianCoefficients } from "../filters/recursive-gaussian.js";
import { type Vec3, type VoxelArray, type VoxelRegion, voxelCount } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

interface GaussianExports extends KernelExports {
  recursiveGaussianWorkBytes(length: number): number;
  recursiveGaussianAlongAxis(
    src: number,
    srcIsF64: boolean,
    dst: number,
    dstIsF64: boolean,
    nx: number,
    ny: number,
    nz: number,
    axis: number,
    x0: number,
    y0: number,
    z0: number,
    x1: number,
    y1: number,
    z1: number,
    coefficients: number,
    work: number,
  ): void;
  laplacianAccumulate(
    cumulative: number,
    pass: number,
    factor: number,
    nx: number,
    ny: number,
    x0: number,
    y0: number,
    z0: number,
    x1: number,
    y1: number,
    z1: number,
  ): void;
}

/** The coefficients in the kernel's order (itkRecursiveSeparableImageFilter.h names). */
function coefficientArray(c: RecursiveGaussianCoefficients): number[] {
  return [
    c.n0,
    c.n1,
    c.n2,
    c.n3,
    c.d1,
    c.d2,
    c.d3,
    c.d4,
    c.m1,
    c.m2,
    c.m3,
    c.m4,
    c.bn1,
    c.bn2,
    c.bn3,
    c.bn4,
    c.bm1,
    c.bm2,
    c.bm3,
    c.bm4,
  ];
}

/**
 * Integer voxels of at most 16 bits are exactly float32, so they go in as float32 (half the
 * memory); 32-bit integers and float64 as float64, float32 as it is: the kernel reads the same
 * numbers as float64 either way.
 */
function inputIsF64(data: VoxelArray): boolean {
  return data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array;
}

/**
 * A volume in kernel memory (its voxels converted as inputIsF64 says), a pass image of
 * `passType` (float32 for ITK's float images) and, when `accumulate`, a float32 accumulator (zero).
 * Valid until another kernel runs: build it, run its passes and read its results without
 * anything in between.
 */
export class RecursiveGaussianVolume {
  private readonly frame = new KernelFrame<GaussianExports>();
  private readonly size: Vec3;
  private readonly count: number;
  private readonly input: number;
  private readonly inputIsF64: boolean;
  private readonly pass: number;
  private readonly passIsF64: boolean;
  private readonly cumulative: number;
  private readonly coefficients: number;
  private readonly work: number;

  constructor(
    data: VoxelArray,
    size: Vec3,
    passType: Float32ArrayConstructor | Float64ArrayConstructor,
    accumulate: boolean,
  ) {
    const count = voxelCount(size);
    if (data.length !== count) throw new Error("recursive Gaussian: the data do not fit the size");
    const frame = this.frame;
    this.size = size;
    this.count = count;
    this.inputIsF64 = inputIsF64(data);
    this.passIsF64 = passType === Float64Array;
    this.input = this.inputIsF64 ? frame.reserve64(count) : frame.reserve32(count);
    this.pass = this.passIsF64 ? frame.reserve64(count) : frame.reserve32(count);
    this.cumulative = accumulate ? frame.reserve32(count) : 0;
    this.coefficients = frame.reserve64(20);
    this.work = frame.reserveBytes(frame.wasm.recursiveGaussianWorkBytes(Math.max(...size)));
    frame.commit();
    (this.inputIsF64 ? frame.float64(this.input, count) : frame.float32(this.input, count)).set(
      data,
    );
    if (accumulate) frame.float32(this.cumulative, count).fill(0);
  }

  /**
   * One pass along `axis` from the input (`fromInput`) or the pass image into the pass image:
   * the lines along the axis through `region` are filtered over their whole length (the source
   * must hold valid values there) and their samples inside the region written; the pass image
   * elsewhere keeps its values.
   */
  filter(
    fromInput: boolean,
    axis: 0 | 1 | 2,
    coefficients: RecursiveGaussianCoefficients,
    region: VoxelRegion,
  ): void {
    const [nx, ny, nz] = this.size;
    if (this.size[axis] < 4) {
      throw new Error(
        `recursive Gaussian: a line has ${this.size[axis]} samples; at least 4 are needed`,
      );
    }
    const frame = this.frame;
    frame.float64(this.coefficients, 20).set(coefficientArray(coefficients));
    const [x0, y0, z0] = region.lower;
    const [x1, y1, z1] = region.upper;
    frame.wasm.recursiveGaussianAlongAxis(
      fromInput ? this.input : this.pass,
      fromInput ? this.inputIsF64 : this.passIsF64,
      this.pass,
      this.passIsF64,
      nx,
      ny,
      nz,
      axis,
      x0,
      y0,
      z0,
      x1,
      y1,
      z1,
      this.coefficients,
      this.work,
    );
  }

  /** accumulator = float32(accumulator + pass * factor) inside `region` (a float32 pass image). */
  accumulate(factor: number, region: VoxelRegion): void {
    if (!this.cumulative || this.passIsF64) throw new Error("recursive Gaussian: no accumulator");
    const [nx, ny] = this.size;
    const [x0, y0, z0] = region.lower;
    const [x1, y1, z1] = region.upper;
    this.frame.wasm.laplacianAccumulate(
      this.cumulative,
      this.pass,
      factor,
      nx,
      ny,
      x0,
      y0,
      z0,
      x1,
      y1,
      z1,
    );
  }

  /** A copy of the pass image. */
  passImage(): Float32Array | Float64Array {
    return this.passIsF64
      ? this.frame.float64(this.pass, this.count).slice()
      : this.frame.float32(this.pass, this.count).slice();
  }

  /** A copy of the accumulator. */
  accumulated(): Float32Array {
    if (!this.cumulative) throw new Error("recursive Gaussian: no accumulator");
    return this.frame.float32(this.cumulative, this.count).slice();
  }
}
