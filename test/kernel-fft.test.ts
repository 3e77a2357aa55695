/**
 * The forward Stockham FFT in WebAssembly (src/kernels/assembly/fft.ts, bound by src/kernels/fft.ts)
 * against the TypeScript transform it mirrors (src/ibsi/fft.ts): the same numbers bit for bit, on
 * every radix mix and lane count (odd counts take the kernel's one-lane tail), a DFT by hand, and
 * the workspace's misuse errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FftPlan } from "../src/ibsi/fft.js";
import { KernelFftWorkspace } from "../src/kernels/fft.js";

/** Park-Miller generator: values in [-0.5, 0.5). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647 - 0.5;
  };
}

/** The forward transform of `lanes` sequences in kernel memory: [re, im] of the result. */
function kernelForward(n: number, lanes: number, re: Float64Array, im: Float64Array) {
  const workspace = new KernelFftWorkspace();
  const plan = new FftPlan(n);
  plan.useWorkspace(workspace);
  const at = [0, 1, 2, 3].map(() => workspace.reserve(n * lanes));
  workspace.commit();
  const [xr, xi, yr, yi] = at.map((a) => workspace.float64(a, n * lanes)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  xr.set(re);
  xi.set(im);
  const inScratch = plan.forwardBlockOrScratch(xr, xi, yr, yi, lanes);
  return (inScratch ? [yr, yi] : [xr, xi]).map((a) => a.slice());
}

test("the WebAssembly FFT equals the TypeScript one bit for bit", () => {
  const random = generator(7);
  let compared = 0;
  // Radices 4, 2, 3 and 5 alone and mixed; 1 to 51 lanes.
  for (const n of [2, 3, 4, 5, 6, 8, 12, 15, 16, 20, 27, 30, 45, 60, 64, 80, 100, 125, 150]) {
    for (const lanes of [1, 2, 3, 16, 51]) {
      const re = Float64Array.from({ length: n * lanes }, random);
      const im = Float64Array.from({ length: n * lanes }, random);
      const [tr, ti] = [re.slice(), im.slice()];
      const [sr, si] = [new Float64Array(n * lanes), new Float64Array(n * lanes)];
      const inScratch = new FftPlan(n).forwardBlockOrScratch(tr, ti, sr, si, lanes);
      const [expectedRe, expectedIm] = inScratch ? [sr, si] : [tr, ti];
      const [gotRe, gotIm] = kernelForward(n, lanes, re, im);
      assert.deepEqual(gotRe, expectedRe, `re, n ${n}, ${lanes} lanes`);
      assert.deepEqual(gotIm, expectedIm, `im, n ${n}, ${lanes} lanes`);
      compared++;
    }
  }
  assert.equal(compared, 95);
});

test("the WebAssembly FFT of a small case computed by hand", () => {
  // x = [1, 2, 3, 4, 5, 6]: X[0] = 21, X[3] = 1 - 2 + 3 - 4 + 5 - 6 = -3,
  // X[1] = sum x_j e^{-i pi j / 3} = -3 + i 3 sqrt(3) (DFT of a ramp: -n/2 (1 + i cot(pi k / n))).
  const x = Float64Array.of(1, 2, 3, 4, 5, 6);
  const [re, im] = kernelForward(6, 1, x, new Float64Array(6));
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12;
  assert.ok(close(re![0]!, 21) && close(im![0]!, 0), `X[0] = ${re![0]} + ${im![0]}i`);
  assert.ok(close(re![3]!, -3) && close(im![3]!, 0), `X[3] = ${re![3]} + ${im![3]}i`);
  assert.ok(
    close(re![1]!, -3) && close(im![1]!, 3 * Math.sqrt(3)),
    `X[1] = ${re![1]} + ${im![1]}i`,
  );
});

test("zeroed views are zero, also where an earlier kernel call left values", () => {
  // A first workspace writes 1s over its arrays; a second one reserves the same memory and more.
  const first = new KernelFftWorkspace();
  const used = first.reserve(1000);
  first.commit();
  first.float64(used, 1000).fill(1);
  const second = new KernelFftWorkspace();
  const small = second.reserve(500);
  const large = second.reserve(200_000);
  second.commit();
  const a = second.zeroed(small, 500);
  const b = second.zeroed(large, 200_000);
  assert.ok(a.every((v) => v === 0));
  assert.ok(b.every((v) => v === 0));
});

test("the FFT workspace refuses views before commit, late reservations and foreign arrays", () => {
  const workspace = new KernelFftWorkspace();
  const plan = new FftPlan(4);
  plan.useWorkspace(workspace);
  const at = workspace.reserve(4);
  assert.throws(() => workspace.float64(at, 4), /commit before taking views/);
  workspace.commit();
  assert.throws(() => workspace.reserve(4), /already committed/);
  // Ordinary arrays are not the kernel's: the plan transforms them in TypeScript, correctly.
  const outside = new Float64Array(4);
  assert.equal(workspace.holds(outside), false);
  assert.equal(workspace.holds(workspace.float64(at, 4)), true);
  const [re, im] = [Float64Array.of(1, 0, 0, 0), new Float64Array(4)];
  const [sr, si] = [new Float64Array(4), new Float64Array(4)];
  const inScratch = plan.forwardBlockOrScratch(re, im, sr, si, 1);
  assert.deepEqual(Array.from(inScratch ? sr : re), [1, 1, 1, 1]);
});
