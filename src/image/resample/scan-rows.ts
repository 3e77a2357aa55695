/**
 * ResampleImageFilter (identity transform => LinearThreadedGenerateData): the output scan lines
 * mapped into the input's continuous index space, shared by the image and mask resampling and
 * by the B-spline interpolator (which reads only the coefficients the rows can reach).
 */
import type { Volume } from "../volume.js";
import type { ResampleGrid } from "./grid.js";
import { indexToPoint, itkGeometry, pointToContinuousIndex } from "./itk-geometry.js";

/**
 * The scan lines of a resampling: row r (= y + ny * z of the output) maps voxel x to the continuous
 * input index start + (x / nx) * delta, per axis (3 numbers per row, unused axes 0).
 */
export interface ScanRows {
  nx: number;
  count: number;
  start: Float64Array;
  delta: Float64Array;
}

/** Start (continuous index of voxel 0) and end - start (of voxel nx) of every output scan line. */
export function scanRows(input: Volume, grid: ResampleGrid): ScanRows {
  const inGeom = itkGeometry(input);
  const outGeom = itkGeometry(grid);
  const [nx, ny, nz] = grid.size;
  const count = ny * nz;
  const startAll = new Float64Array(3 * count);
  const delta = new Float64Array(3 * count);
  const index = [0, 0, 0];
  const point = [0, 0, 0];
  const start = [0, 0, 0];
  const end = [0, 0, 0];
  for (let z = 0, r = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, r++) {
      index[0] = 0;
      index[1] = y;
      index[2] = z;
      indexToPoint(outGeom, index, point);
      pointToContinuousIndex(inGeom, point, start);
      index[0] = nx;
      indexToPoint(outGeom, index, point);
      pointToContinuousIndex(inGeom, point, end);
      for (let a = 0; a < 3; a++) {
        startAll[3 * r + a] = start[a]!;
        delta[3 * r + a] = end[a]! - start[a]!;
      }
    }
  }
  return { nx, count, start: startAll, delta };
}
