/**
 * 2D shape features, exactly as PyRadiomics' RadiomicsShape2D (radiomics/shape2D.py and the marching
 * squares of radiomics/src/cshape.c, commit 8ed5793), for true 2D masks.
 *
 * The mask is cropped to the ROI bounding box and padded with one pixel of zeros. Marching squares
 * (PyRadiomics' line table) gives the perimeter mesh: MeshSurface is the sum of signed triangle areas
 * (Oa x Ob) / 2 over the perimeter segments, Perimeter the sum of segment lengths, both accumulated in
 * PyRadiomics' order with coordinates (index + edge offset) * spacing in (y, x) order. MaximumDiameter is
 * the all-pairs maximum over perimeter vertices, computed exactly on their convex hull (latticeHull.ts).
 */
import type { Vec3 } from "../image/volume.js";
import { PlaneRowExtents, halfUnitCoordinates, maxSquaredDistance } from "./mesh/latticeHull.js";
import { SQUARE_CORNERS, SQUARE_EDGE_MIDPOINTS, SQUARE_SEGMENTS } from "./mesh/marchingTables.js";
import { principalMoments } from "./mesh/principalAxes.js";
import { checkFeatureNames, cropAndPadRoi, validateMaskInput } from "./mesh/roiCrop.js";
import type { FeatureClassInfo, FeatureValues } from "./types.js";

export const SHAPE2D_CLASS: FeatureClassInfo = {
  name: "shape2D",
  features: [
    "Elongation",
    "MajorAxisLength",
    "MaximumDiameter",
    "MeshSurface",
    "MinorAxisLength",
    "Perimeter",
    "PerimeterSurfaceRatio",
    "PixelSurface",
    "SphericalDisproportion",
    "Sphericity",
  ],
  deprecated: ["SphericalDisproportion"],
};

export interface MarchingSquaresResult {
  /** Sum of segment lengths (mm). */
  perimeter: number;
  /** Sum of signed areas of the triangles (origin, a, b) (mm^2). */
  surface: number;
}

/**
 * Perimeter and surface of PyRadiomics' marching-squares mesh of a padded 2D binary grid (x fastest,
 * values 0/1, zero border). Per segment a -> b (points (index + edge midpoint) * spacing, (y, x) order):
 * surface += a_y b_x - b_y a_x, perimeter += |a - b|; surface /= 2 at the end (cshape.c).
 */
export function marchingSquares(
  grid: Uint8Array,
  nx: number,
  ny: number,
  spacing: Vec3,
): MarchingSquaresResult {
  const sx = spacing[0];
  const sy = spacing[1];
  const cornerOffset = SQUARE_CORNERS.map(([dy, dx]) => dy * nx + dx);
  let perimeter = 0;
  let surface = 0;
  for (let iy = 0; iy < ny - 1; iy++) {
    for (let ix = 0; ix < nx - 1; ix++) {
      const i = ix + nx * iy;
      let square = 0;
      for (let k = 0; k < 4; k++) if (grid[i + cornerOffset[k]]) square |= 1 << k;
      if (square === 0 || square === 0xf) continue;
      const segments = SQUARE_SEGMENTS[square];
      for (let t = 0; t < segments.length; t += 2) {
        const ea = SQUARE_EDGE_MIDPOINTS[segments[t]];
        const eb = SQUARE_EDGE_MIDPOINTS[segments[t + 1]];
        const a0 = (iy + ea[0]) * sy;
        const a1 = (ix + ea[1]) * sx;
        const b0 = (iy + eb[0]) * sy;
        const b1 = (ix + eb[1]) * sx;
        surface += a0 * b1 - b0 * a1;
        const d0 = a0 - b0;
        const d1 = a1 - b1;
        perimeter += Math.sqrt(d0 * d0 + d1 * d1);
      }
    }
  }
  return { perimeter, surface: surface / 2 };
}

/**
 * PyRadiomics' 2D maximum diameter (cshape.c calculate_meshDiameter2D): the largest
 * sqrt(dy^2 + dx^2) over pairs of perimeter vertices (midpoints of pixel edges whose two pixels differ).
 */
export function perimeterDiameter(grid: Uint8Array, nx: number, ny: number, spacing: Vec3): number {
  const hx = 2 * nx - 1;
  const hy = 2 * ny - 1;
  const plane = new PlaneRowExtents(1, hy);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const i = x + nx * y;
      const v = grid[i];
      if (x + 1 < nx && grid[i + 1] !== v) plane.add(0, 2 * y, 2 * x + 1);
      if (y + 1 < ny && grid[i + nx] !== v) plane.add(0, 2 * y + 1, 2 * x);
    }
  }
  const hull = new Int32Array(4 * hy + 4);
  const n = plane.hullOfPlane(0, hull, new Int32Array(4 * hy + 4));
  const cy = halfUnitCoordinates(hy, spacing[1]);
  const cx = halfUnitCoordinates(hx, spacing[0]);
  const py = new Float64Array(n);
  const px = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    py[k] = cy[hull[2 * k]];
    px[k] = cx[hull[2 * k + 1]];
  }
  return Math.sqrt(maxSquaredDistance(py, px, new Float64Array(n), n));
}

/**
 * PyRadiomics shape2D features of a true 2D mask (size z = 1, x fastest, nonzero = ROI) with pixel
 * `spacing` (x, y, unused z). Formulas (shape2D.py): with mesh surface A and perimeter P,
 * PerimeterSurfaceRatio = P / A, Sphericity = 2 sqrt(pi A) / P, SphericalDisproportion = 1 / Sphericity,
 * PixelSurface = Np * (sx * sy); with principal moments l0 <= l1: MajorAxisLength = 4 sqrt(l1),
 * MinorAxisLength = 4 sqrt(l0), Elongation = sqrt(l0 / l1) (NaN for a negative moment, as PyRadiomics).
 */
export function computeShape2DFeatures(
  mask: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  names: readonly string[],
): FeatureValues {
  const what = "shape2D";
  validateMaskInput(what, mask, size, spacing);
  if (size[2] !== 1) {
    throw new Error(`${what}: needs a 2D mask (size z = 1), got size ${size.join("x")}`);
  }
  checkFeatureNames(what, SHAPE2D_CLASS, names);
  const roi = cropAndPadRoi(what, mask, size, false);
  const [nx, ny] = roi.size;
  const needs = (list: string[]): boolean => names.some((n) => list.includes(n));

  const mesh = needs([
    "MeshSurface",
    "Perimeter",
    "PerimeterSurfaceRatio",
    "Sphericity",
    "SphericalDisproportion",
  ])
    ? marchingSquares(roi.data, nx, ny, spacing)
    : undefined;
  const diameter = needs(["MaximumDiameter"])
    ? perimeterDiameter(roi.data, nx, ny, spacing)
    : Number.NaN;
  let moments: Float64Array = new Float64Array(2);
  if (needs(["Elongation", "MajorAxisLength", "MinorAxisLength"])) {
    const cy = new Float64Array(roi.count);
    const cx = new Float64Array(roi.count);
    let k = 0;
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        if (roi.data[x + nx * y] === 0) continue;
        cy[k] = y * spacing[1];
        cx[k] = x * spacing[0];
        k++;
      }
    }
    moments = principalMoments([cy, cx]);
  }

  const A = mesh?.surface ?? Number.NaN;
  const P = mesh?.perimeter ?? Number.NaN;
  const sphericity = (2 * Math.sqrt(Math.PI * A)) / P;
  const axis = (l: number): number => (l < 0 ? Number.NaN : Math.sqrt(l) * 4);
  const out: FeatureValues = {};
  for (const name of names) {
    switch (name) {
      case "MeshSurface":
        out[name] = A;
        break;
      case "Perimeter":
        out[name] = P;
        break;
      case "PerimeterSurfaceRatio":
        out[name] = P / A;
        break;
      case "Sphericity":
        out[name] = sphericity;
        break;
      case "SphericalDisproportion":
        out[name] = 1 / sphericity;
        break;
      case "PixelSurface":
        out[name] = roi.count * (spacing[0] * spacing[1]);
        break;
      case "MaximumDiameter":
        out[name] = diameter;
        break;
      case "MajorAxisLength":
        out[name] = axis(moments[1]);
        break;
      case "MinorAxisLength":
        out[name] = axis(moments[0]);
        break;
      case "Elongation":
        out[name] =
          moments[0] < 0 || moments[1] < 0 ? Number.NaN : Math.sqrt(moments[0] / moments[1]);
        break;
    }
  }
  return out;
}
