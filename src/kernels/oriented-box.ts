/**
 * Binding of the oriented minimum bounding box kernel (src/kernels/assembly/oriented-box.ts; the
 * method in src/ibsi/features/morphology/bounding-boxes.ts): the hull vertices and the face
 * normals copied in, the box's three edges out.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface OrientedBoxExports extends KernelExports {
  orientedMinimumBox(
    points: number,
    n: number,
    normals: number,
    m: number,
    u: number,
    v: number,
    order: number,
    scratch: number,
    hull: number,
    rectangle: number,
    out: number,
  ): void;
}

/**
 * Edges (mm) of the least-volume box with a face normal to one of `normals` (unit vectors, x, y, z
 * at 3k..3k+2) around `points` (x, y, z at 3k..3k+2); NaN without any normal.
 */
export function orientedMinimumBoxEdges(
  points: Float64Array,
  normals: Float64Array,
): [number, number, number] {
  const n = points.length / 3;
  const frame = new KernelFrame<OrientedBoxExports>();
  const at = {
    points: frame.input(points),
    normals: frame.input(normals),
    u: frame.reserve64(n),
    v: frame.reserve64(n),
    order: frame.reserve32(n),
    scratch: frame.reserve32(n),
    hull: frame.reserve32(2 * n + 1),
    rectangle: frame.reserve64(2),
    out: frame.reserve64(3),
  };
  frame.commit();
  frame.wasm.orientedMinimumBox(
    at.points,
    n,
    at.normals,
    normals.length / 3,
    at.u,
    at.v,
    at.order,
    at.scratch,
    at.hull,
    at.rectangle,
    at.out,
  );
  const [a, b, c] = frame.float64(at.out, 3);
  return [a!, b!, c!];
}
