/**
 * ITK geometry: index <-> physical point with ITK's matrices and operation order
 * (ImageBase's index-to-physical matrix direction * diag(spacing) and its inverse by vnl_svd).
 */
import type { Mat3, Vec3 } from "../volume.js";
import { svdInverse } from "./vnl-svd.js";

/** ITK ImageBase geometry: m_IndexToPhysicalPoint = direction * diag(spacing) and its inverse. */
export interface ItkGeometry {
  dimension: 2 | 3;
  origin: number[];
  /** Row-major dimension x dimension. */
  indexToPhysical: number[][];
  physicalToIndex: number[][];
}

/** ITK's ComputeIndexToPhysicalPointMatrices (direction * scale, inverse via vnl_svd). */
export function itkGeometry(vol: {
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  dimension: 2 | 3;
}): ItkGeometry {
  const d = vol.dimension;
  const m: number[][] = [];
  for (let i = 0; i < d; i++) {
    const row: number[] = [];
    for (let j = 0; j < d; j++) {
      // vnl_matrix_fixed product: accum = a(i,0)*b(0,j); accum += a(i,k)*b(k,j).
      let acc = vol.direction[i * 3]! * (j === 0 ? vol.spacing[0] : 0);
      for (let k = 1; k < d; k++) acc += vol.direction[i * 3 + k]! * (k === j ? vol.spacing[k] : 0);
      row.push(acc);
    }
    m.push(row);
  }
  for (let a = 0; a < d; a++) {
    if (vol.spacing[a] === 0) throw new Error("a spacing of 0 is not allowed");
  }
  return {
    dimension: d,
    origin: vol.origin.slice(0, d),
    indexToPhysical: m,
    physicalToIndex: svdInverse(m),
  };
}

/** ITK TransformIndexToPhysicalPoint (integer index): p = origin; p += M[i][j] * index[j]. */
export function indexToPoint(g: ItkGeometry, index: number[], out: number[]): void {
  const d = g.dimension;
  for (let i = 0; i < d; i++) {
    let p = g.origin[i]!;
    const row = g.indexToPhysical[i]!;
    for (let j = 0; j < d; j++) p += row[j]! * index[j]!;
    out[i] = p;
  }
}

/** ITK TransformContinuousIndexToPhysicalPoint: sum = M * index, then + origin. */
export function continuousIndexToPoint(g: ItkGeometry, index: number[]): number[] {
  const d = g.dimension;
  const out: number[] = [];
  for (let r = 0; r < d; r++) {
    let sum = 0;
    for (let c = 0; c < d; c++) sum += g.indexToPhysical[r]![c]! * index[c]!;
    out.push(sum + g.origin[r]!);
  }
  return out;
}

/** ITK TransformPhysicalPointToContinuousIndex: inverse(M) * (p - origin). */
export function pointToContinuousIndex(g: ItkGeometry, point: number[], out: number[]): void {
  const d = g.dimension;
  const v0 = point[0]! - g.origin[0]!;
  const v1 = point[1]! - g.origin[1]!;
  const v2 = d === 3 ? point[2]! - g.origin[2]! : 0;
  const p = g.physicalToIndex;
  for (let r = 0; r < d; r++) {
    const row = p[r]!;
    let sum = 0;
    sum += row[0]! * v0;
    sum += row[1]! * v1;
    if (d === 3) sum += row[2]! * v2;
    out[r] = sum;
  }
}
