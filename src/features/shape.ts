/**
 * 3D shape features, exactly as PyRadiomics' RadiomicsShape (radiomics/shape.py and the marching cubes of
 * radiomics/src/cshape.c, commit 8ed5793).
 *
 * The mask is cropped to the ROI bounding box and padded with one voxel of zeros (see roiCrop.ts). A
 * marching cubes pass (Lorensen & Cline 1987, PyRadiomics' tables) over that grid gives the triangle mesh:
 * MeshVolume is the sum of signed tetrahedron volumes Oa.(Ob x Oc)/6, SurfaceArea the sum of
 * |ab x ac|/2; both accumulate in PyRadiomics' cube and triangle order with coordinates
 * (index + edge offset) * spacing, so they agree with it to the last bits. Diameters are PyRadiomics'
 * all-pairs maxima over mesh vertices (edge midpoints), computed exactly on convex hull vertices
 * (latticeHull.ts). Both mesh passes run as WebAssembly (src/kernels/assembly/mesh.ts), at full
 * speed from the first call. Axis lengths come from the principal moments of the voxel centres.
 */
import type { Vec3 } from "../image/volume.js";
import {
  type MarchingCubesResult,
  type MeshDiameters,
  marchingCubes,
  meshDiameters,
} from "../kernels/mesh.js";
import { principalMoments } from "./mesh/principalAxes.js";
import { checkFeatureNames, cropAndPadRoi, validateMaskInput } from "./mesh/roiCrop.js";
import type { FeatureClassInfo, FeatureValues } from "./types.js";

export const SHAPE_CLASS: FeatureClassInfo = {
  name: "shape",
  features: [
    "Compactness1",
    "Compactness2",
    "Elongation",
    "Flatness",
    "LeastAxisLength",
    "MajorAxisLength",
    "Maximum2DDiameterColumn",
    "Maximum2DDiameterRow",
    "Maximum2DDiameterSlice",
    "Maximum3DDiameter",
    "MeshVolume",
    "MinorAxisLength",
    "SphericalDisproportion",
    "Sphericity",
    "SurfaceArea",
    "SurfaceVolumeRatio",
    "VoxelVolume",
  ],
  deprecated: ["Compactness1", "Compactness2", "SphericalDisproportion"],
};

const MESH_FEATURES = new Set([
  "Compactness1",
  "Compactness2",
  "MeshVolume",
  "SphericalDisproportion",
  "Sphericity",
  "SurfaceArea",
  "SurfaceVolumeRatio",
]);
const DIAMETER_FEATURES = new Set([
  "Maximum2DDiameterColumn",
  "Maximum2DDiameterRow",
  "Maximum2DDiameterSlice",
  "Maximum3DDiameter",
]);
const AXIS_FEATURES = new Set([
  "Elongation",
  "Flatness",
  "LeastAxisLength",
  "MajorAxisLength",
  "MinorAxisLength",
]);

/** Physical coordinates (numpy order z, y, x) of the ROI voxels of a padded grid, in C order. */
function voxelCoordinates(
  grid: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  count: number,
): Float64Array[] {
  const [nx, ny, nz] = size;
  const cz = new Float64Array(count);
  const cy = new Float64Array(count);
  const cx = new Float64Array(count);
  let k = 0;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (grid[i] === 0) continue;
        cz[k] = z * spacing[2];
        cy[k] = y * spacing[1];
        cx[k] = x * spacing[0];
        k++;
      }
    }
  }
  return [cz, cy, cx];
}

/**
 * PyRadiomics 3D shape features of a binary mask (x fastest, nonzero = ROI) with voxel `spacing`
 * (x, y, z, mm). Formulas (shape.py): with mesh volume V and surface area A,
 * SurfaceVolumeRatio = A / V, Sphericity = (36 pi V^2)^(1/3) / A, Compactness1 = V / (A^(3/2) sqrt(pi)),
 * Compactness2 = 36 pi V^2 / A^3, SphericalDisproportion = A / (36 pi V^2)^(1/3),
 * VoxelVolume = Np * (sz * sx * sy); with principal moments l0 <= l1 <= l2: Major/Minor/LeastAxisLength =
 * 4 sqrt(l2 / l1 / l0), Elongation = sqrt(l1 / l2), Flatness = sqrt(l0 / l2) (NaN for a negative moment,
 * as PyRadiomics).
 */
export function computeShapeFeatures(
  mask: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  names: readonly string[],
): FeatureValues {
  const what = "shape";
  validateMaskInput(what, mask, size, spacing);
  checkFeatureNames(what, SHAPE_CLASS, names);
  const roi = cropAndPadRoi(what, mask, size, true);
  const needs = (set: Set<string>): boolean => names.some((n) => set.has(n));

  const mesh = needs(MESH_FEATURES) ? marchingCubes(roi.data, roi.size, spacing) : undefined;
  const diameters = needs(DIAMETER_FEATURES)
    ? meshDiameters(roi.data, roi.size, spacing)
    : undefined;
  const moments = needs(AXIS_FEATURES)
    ? principalMoments(voxelCoordinates(roi.data, roi.size, spacing, roi.count))
    : undefined;

  const out: FeatureValues = {};
  for (const name of names)
    out[name] = shapeFeature(name, roi.count, spacing, mesh, diameters, moments);
  return out;
}

function shapeFeature(
  name: string,
  count: number,
  spacing: Vec3,
  mesh: MarchingCubesResult | undefined,
  diameters: MeshDiameters | undefined,
  moments: Float64Array | undefined,
): number {
  const V = mesh?.volume ?? Number.NaN;
  const A = mesh?.surfaceArea ?? Number.NaN;
  const m = moments ?? new Float64Array(3);
  const axis = (l: number): number => (l < 0 ? Number.NaN : Math.sqrt(l) * 4);
  const ratio = (small: number, large: number): number =>
    small < 0 || large < 0 ? Number.NaN : Math.sqrt(small / large);
  switch (name) {
    case "MeshVolume":
      return V;
    case "SurfaceArea":
      return A;
    case "SurfaceVolumeRatio":
      return A / V;
    case "Sphericity":
      return (36 * Math.PI * V ** 2) ** (1 / 3) / A;
    case "Compactness1":
      return V / (A ** (3 / 2) * Math.sqrt(Math.PI));
    case "Compactness2":
      return (36 * Math.PI * V ** 2) / A ** 3;
    case "SphericalDisproportion":
      return A / (36 * Math.PI * V ** 2) ** (1 / 3);
    case "VoxelVolume":
      return count * (spacing[2] * spacing[0] * spacing[1]);
    case "Maximum3DDiameter":
      return diameters?.overall ?? Number.NaN;
    case "Maximum2DDiameterSlice":
      return diameters?.slice ?? Number.NaN;
    case "Maximum2DDiameterColumn":
      return diameters?.column ?? Number.NaN;
    case "Maximum2DDiameterRow":
      return diameters?.row ?? Number.NaN;
    case "MajorAxisLength":
      return axis(m[2]);
    case "MinorAxisLength":
      return axis(m[1]);
    case "LeastAxisLength":
      return axis(m[0]);
    case "Elongation":
      return ratio(m[1], m[2]);
    case "Flatness":
      return ratio(m[0], m[2]);
    default:
      throw new Error(`shape: unknown feature '${name}'`);
  }
}
