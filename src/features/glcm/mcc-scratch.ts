/**
 * Reusable working arrays of the symmetric MCC eigenvalue method (mcc-symmetric.ts and the
 * tridiagonal routines of tridiagonal.ts).
 */

/** Working arrays of secondEigenvalueOfQ for up to n gray levels (reused across angles). */
export class MccScratch {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly sqrtPx: Float64Array;
  readonly sqrtPy: Float64Array;
  readonly b: Float64Array;
  readonly bt: Float64Array;
  readonly s: Float64Array;
  readonly diag: Float64Array;
  readonly off: Float64Array;
  readonly beta: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly u0: Float64Array;
  readonly u1: Float64Array;
  readonly u2: Float64Array;
  readonly mult: Float64Array;
  readonly swapped: Uint8Array;
  readonly btS: Float64Array;
  readonly ftS: Float64Array;
  readonly parent: Int32Array;
  readonly order: Int32Array;
  readonly label: Int32Array;
  readonly groupStart: Int32Array;
  readonly fillAt: Int32Array;
  readonly cand: Float64Array;
  readonly pv: Float64Array;
  readonly owner: Int32Array;
  constructor(n: number) {
    this.rows = new Int32Array(n);
    this.cols = new Int32Array(n);
    this.sqrtPx = new Float64Array(n);
    this.sqrtPy = new Float64Array(n);
    this.b = new Float64Array(n * n);
    this.bt = new Float64Array(n * n);
    this.s = new Float64Array(n * n);
    this.diag = new Float64Array(n);
    this.off = new Float64Array(n);
    this.beta = new Float64Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.mult = new Float64Array(n);
    this.swapped = new Uint8Array(n);
    this.btS = new Float64Array(n);
    this.ftS = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.order = new Int32Array(n);
    this.label = new Int32Array(n);
    this.groupStart = new Int32Array(n + 1);
    this.fillAt = new Int32Array(n);
    this.cand = new Float64Array(4 * n + 4);
    this.pv = new Float64Array(n);
    this.owner = new Int32Array(n);
  }
}
