/**
 * IBSI-1 morphological features (family HCUG, IBSI-1 manual section "Morphological features"), 3D
 * by definition (DHQ4), with the manual's tags (`morph_*`, as in IBSI's reference tables and MIRP).
 *
 * Representations (manual, "Morphological features"): the mesh of the morphological mask (volume,
 * area, and through its convex hull the diameter, bounding boxes and MVEE) and its voxel centres
 * X_c (voxel-counting volume, PCA, geometric centre of mass); the intensity mask gives the voxel
 * intensities X_gl and their centres (intensity-weighted centre of mass, integrated intensity,
 * Moran's I, Geary's C). The mesh is marching cubes at level 0.5 of the morphological mask padded
 * with zeros, computed by the kernel the PyRadiomics mode uses for its shape class (src/kernels/
 * mesh.ts; its volume and area agree with IBSI's digital phantom, test/ibsi1-digital-phantom).
 *
 * Lengths in mm (the image spacing), areas mm^2, volumes mm^3; positions are index * spacing.
 *
 * Undefined values are NaN, deliberately: PCA-based features (axis lengths, elongation, flatness,
 * AEE densities) for fewer than 2 voxels or a zero axis (a flat ROI), intensity-mask features when
 * the intensity mask is empty, the intensity-weighted centre of mass when the intensities sum to 0,
 * and Moran's I / Geary's C as spatial-autocorrelation.ts says.
 *
 * OMBB and MVEE densities have no IBSI reference values ("should not be used"); they are computed as
 * bounding-boxes.ts and ellipsoid.ts document.
 */
import type { Vec3 } from "../../../image/volume.js";
import { cropAndPadMask } from "../../../kernels/masks.js";
import { marchingCubes } from "../../../kernels/mesh.js";
import { type IbsiFeatureValue, type IbsiImage, IbsiSettingError } from "../../types.js";
import { axisAlignedBoundingBox, orientedMinimumBoundingBox } from "./bounding-boxes.js";
import { closedMeshVolumeAndArea, convexHull, faceNormalDirections } from "./convex-hull.js";
import {
  ellipsoidSurfaceArea,
  ellipsoidVolume,
  minimumVolumeEnclosingEllipsoid,
} from "./ellipsoid.js";
import { checkIbsiImage } from "./image-checks.js";
import { hullCandidateVertices } from "./mesh-vertices.js";
import { principalEigenvalues } from "./pca.js";
import { spatialAutocorrelation } from "./spatial-autocorrelation.js";

/** The tags of this family, in the manual's order. */
export const MORPHOLOGY_TAGS = [
  "morph_volume",
  "morph_vol_approx",
  "morph_area_mesh",
  "morph_av",
  "morph_comp_1",
  "morph_comp_2",
  "morph_sph_dispr",
  "morph_sphericity",
  "morph_asphericity",
  "morph_com",
  "morph_diam",
  "morph_pca_maj_axis",
  "morph_pca_min_axis",
  "morph_pca_least_axis",
  "morph_pca_elongation",
  "morph_pca_flatness",
  "morph_vol_dens_aabb",
  "morph_area_dens_aabb",
  "morph_vol_dens_ombb",
  "morph_area_dens_ombb",
  "morph_vol_dens_aee",
  "morph_area_dens_aee",
  "morph_vol_dens_mvee",
  "morph_area_dens_mvee",
  "morph_vol_dens_conv_hull",
  "morph_area_dens_conv_hull",
  "morph_integ_int",
  "morph_moran_i",
  "morph_geary_c",
] as const;

export type MorphologyTag = (typeof MORPHOLOGY_TAGS)[number];

/** All HCUG features of `image` (morphological mask must hold at least one voxel). */
export function morphologyFeatures(image: IbsiImage): IbsiFeatureValue[] {
  checkIbsiImage(image, "morphology");
  const { size, spacing } = image;
  const padded = cropAndPadMask(image.morphologicalMask, size, true);
  if (!padded) {
    throw new IbsiSettingError("morphology: morphologicalMask is empty (no ROI voxel)");
  }
  const values = new Map<MorphologyTag, number>();
  const set = (tag: MorphologyTag, value: number) => values.set(tag, value);

  // Mesh volume V (RNU0) and area A (C0JK), and the shape ratios built from them.
  const mesh = marchingCubes(padded.data, padded.size, spacing);
  const V = mesh.volume;
  const A = mesh.surfaceArea;
  const comp2 = (36 * Math.PI * V * V) / A ** 3;
  set("morph_volume", V);
  set("morph_vol_approx", padded.count * spacing[0] * spacing[1] * spacing[2]);
  set("morph_area_mesh", A);
  set("morph_av", A / V);
  set("morph_comp_1", V / (Math.sqrt(Math.PI) * A ** 1.5));
  set("morph_comp_2", comp2);
  set("morph_sph_dispr", A / Math.cbrt(36 * Math.PI * V * V));
  set("morph_sphericity", Math.cbrt(36 * Math.PI * V * V) / A);
  set("morph_asphericity", Math.cbrt(A ** 3 / (V * V) / (36 * Math.PI)) - 1);
  set("morph_com", centreOfMassShift(image));

  // Convex hull of the mesh vertices (diameter, densities, enclosing shapes).
  const candidates = hullCandidateVertices(padded.data, padded.size);
  const hull = convexHull(candidates);
  const hullPoints = physicalPoints(candidates.coordinates, hull.vertices, spacing);
  const hullShape = closedMeshVolumeAndArea(candidates, hull.faces, spacing);
  set("morph_diam", maximumDistance(hullPoints));

  const [major, minor, least] = principalEigenvalues(image.morphologicalMask, size, spacing);
  set("morph_pca_maj_axis", 4 * Math.sqrt(major));
  set("morph_pca_min_axis", 4 * Math.sqrt(minor));
  set("morph_pca_least_axis", 4 * Math.sqrt(least));
  set("morph_pca_elongation", Math.sqrt(minor / major));
  set("morph_pca_flatness", Math.sqrt(least / major));

  const aabb = axisAlignedBoundingBox(hullPoints);
  set("morph_vol_dens_aabb", V / aabb.volume);
  set("morph_area_dens_aabb", A / aabb.area);
  const ombb = orientedMinimumBoundingBox(
    hullPoints,
    faceNormalDirections(candidates, hull.faces, spacing),
  );
  set("morph_vol_dens_ombb", V / ombb.volume);
  set("morph_area_dens_ombb", A / ombb.area);

  // Approximate enclosing ellipsoid: semi-axes a, b, c = 2 sqrt(lambda) (6BDE, RDD2).
  const [a, b, c] = [2 * Math.sqrt(major), 2 * Math.sqrt(minor), 2 * Math.sqrt(least)];
  const flat = !(c > 0);
  set("morph_vol_dens_aee", flat ? Number.NaN : V / ellipsoidVolume(a, b, c));
  set("morph_area_dens_aee", flat ? Number.NaN : A / ellipsoidSurfaceArea(a, b, c));
  const [ma, mb, mc] = minimumVolumeEnclosingEllipsoid(hullPoints);
  set("morph_vol_dens_mvee", V / ellipsoidVolume(ma, mb, mc));
  set("morph_area_dens_mvee", A / ellipsoidSurfaceArea(ma, mb, mc));
  set("morph_vol_dens_conv_hull", V / hullShape.volume);
  set("morph_area_dens_conv_hull", A / hullShape.area);

  // Integrated intensity (99N0): V times the intensity mask's mean.
  set("morph_integ_int", V * intensityMean(image));
  const { moranI, gearyC } = spatialAutocorrelation(image);
  set("morph_moran_i", moranI);
  set("morph_geary_c", gearyC);

  return MORPHOLOGY_TAGS.map((tag) => ({ tag, aggregation: "", value: values.get(tag)! }));
}

/** Physical coordinates (mm, half units * spacing / 2) of the selected half-unit points. */
function physicalPoints(
  coordinates: Int32Array,
  selected: Int32Array,
  spacing: Vec3,
): Float64Array {
  const out = new Float64Array(3 * selected.length);
  for (let k = 0; k < selected.length; k++) {
    for (let d = 0; d < 3; d++)
      out[3 * k + d] = (coordinates[3 * selected[k] + d] * spacing[d]) / 2;
  }
  return out;
}

/** Largest distance between two points (L0JK, over the hull vertices: O(h^2) on few points). */
function maximumDistance(points: Float64Array): number {
  let best = 0;
  for (let i = 0; i < points.length; i += 3) {
    for (let j = i + 3; j < points.length; j += 3) {
      const dx = points[j] - points[i];
      const dy = points[j + 1] - points[i + 1];
      const dz = points[j + 2] - points[i + 2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

/** Mean intensity of the intensity mask; NaN when it is empty. */
function intensityMean(image: IbsiImage): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < image.intensityMask.length; i++) {
    if (image.intensityMask[i] === 0) continue;
    sum += image.intensities[i];
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

/**
 * Centre of mass shift (KLMA): distance between the mean voxel centre of the morphological mask and
 * the intensity-weighted mean voxel centre of the intensity mask.
 */
function centreOfMassShift(image: IbsiImage): number {
  const [nx, ny, nz] = image.size;
  const geometric = [0, 0, 0];
  const weighted = [0, 0, 0];
  let count = 0;
  let weight = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (image.morphologicalMask[i] !== 0) {
          geometric[0] += x;
          geometric[1] += y;
          geometric[2] += z;
          count++;
        }
        if (image.intensityMask[i] !== 0) {
          const g = image.intensities[i];
          weighted[0] += g * x;
          weighted[1] += g * y;
          weighted[2] += g * z;
          weight += g;
        }
      }
    }
  }
  if (count === 0 || weight === 0) return Number.NaN;
  let squared = 0;
  for (let d = 0; d < 3; d++) {
    squared += ((geometric[d] / count - weighted[d] / weight) * image.spacing[d]) ** 2;
  }
  return Math.sqrt(squared);
}
