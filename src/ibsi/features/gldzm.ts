/**
 * IBSI-1 grey level distance zone matrix features (GLDZM, permanent id VMDZ; IBSI-1 manual,
 * chapter 3, "Grey level distance zone based features"): d_ij counts the zones (as for the GLSZM:
 * linked intensity-mask voxels of equal grey level, 8-connected in-plane for 2D, 26-connected for
 * 3D) with grey level i whose distance to the ROI edge is j.
 *
 * Distance map (manual, same section): computed on the MORPHOLOGICAL mask ("Morphological and
 * intensity masks"), zones on the intensity mask. A voxel's distance is the least number of voxel
 * faces crossed to leave the morphological mask, with 4-connectivity in-plane for 2D and 2.5D
 * (each slice on its own) and 6-connectivity for 3D; voxels on the edge have distance 1 (not 0).
 * The manual's iterative erosion treats the grid outside the image as outside the ROI (as MIRP's
 * scipy binary_erosion with border value 0), so a voxel on the grid's border is at distance 1; in
 * 3D this includes the first and last slices. A zone's distance is the least distance of its voxels.
 */

import { nonZeroBounds } from "../../image/mask-box.js";
import type { Vec3 } from "../../image/volume.js";
import {
  checkTextureDimensions,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  type IbsiImage,
  IbsiSettingError,
  type IbsiTextureDimension,
} from "../types.js";
import { checkDiscretised } from "./discretised-roi.js";
import {
  type LevelCountMatrix,
  type LevelCountObservations,
  levelCountFeatures,
  levelCountObservations,
} from "./level-count-matrix.js";
import {
  aggregateTexture,
  assertZeroBorder,
  padRoi,
  padToBox,
  type SliceObservations,
  type TextureMatrices,
  type TextureNeighbourhood,
  textureMatrices,
} from "./slice-aggregation.js";
import { labelZones, type Zones } from "./zone-labelling.js";

/** IBSI tags of the 16 GLDZM features, in levelCountFeatures' order. */
export const GLDZM_TAGS: readonly string[] = [
  "dzm_sde",
  "dzm_lde",
  "dzm_lgze",
  "dzm_hgze",
  "dzm_sdlge",
  "dzm_sdhge",
  "dzm_ldlge",
  "dzm_ldhge",
  "dzm_glnu",
  "dzm_glnu_norm",
  "dzm_zdnu",
  "dzm_zdnu_norm",
  "dzm_z_perc",
  "dzm_gl_var",
  "dzm_zd_var",
  "dzm_zd_entr",
];

/**
 * Distance of each mask voxel to the mask's edge (1 on the edge; 0 outside the mask): the
 * Manhattan distance to the nearest voxel outside the mask, in-plane (4-connectivity, 2D) or in the
 * volume (6-connectivity, 3D). This equals IBSI's iterative erosion count. The grid must have a zero
 * border (padToBox), which stands for everything beyond the image: outside the ROI. Breadth-first
 * search from the edge voxels, O(N).
 */
export function borderDistanceMap(
  mask: Uint8Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): Int32Array {
  assertZeroBorder(mask, size);
  const nxy = size[0] * size[1];
  const faces =
    neighbourhood === "3D"
      ? Int32Array.of(-1, 1, -size[0], size[0], -nxy, nxy)
      : Int32Array.of(-1, 1, -size[0], size[0]);
  const n = mask.length;
  const distance = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (mask[v] === 0) continue;
    for (let f = 0; f < faces.length; f++) {
      if (mask[v + faces[f]!] === 0) {
        distance[v] = 1;
        queue[tail++] = v;
        break;
      }
    }
  }
  // Breadth-first: a mask voxel first reached from a voxel at distance k is at distance k + 1.
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    const next = distance[v]! + 1;
    for (let f = 0; f < faces.length; f++) {
      const w = v + faces[f]!;
      if (mask[w] !== 0 && distance[w] === 0) {
        distance[w] = next;
        queue[tail++] = w;
      }
    }
  }
  return distance;
}

/** Least border distance over each zone's voxels. */
function zoneDistances(zones: Zones, distance: Int32Array): Int32Array {
  const out = new Int32Array(zones.count).fill(2 ** 31 - 1);
  const { zoneOf } = zones;
  for (let v = 0; v < zoneOf.length; v++) {
    const zone = zoneOf[v]!;
    if (zone >= 0 && distance[v]! < out[zone]!) out[zone] = distance[v]!;
  }
  return out;
}

/**
 * Checks the image against the discretised ROI: same grid, and every intensity-mask voxel (level
 * > 0) inside the morphological mask (otherwise its distance would be undefined).
 */
function checkImage(d: IbsiDiscretised, image: IbsiImage): void {
  checkDiscretised(d, image.size, "GLDZM");
  const { morphologicalMask } = image;
  if (morphologicalMask.length !== d.levels.length) {
    throw new IbsiSettingError(
      `GLDZM: morphologicalMask has ${morphologicalMask.length} voxels, the grid (size) ${d.levels.length}`,
    );
  }
  for (let v = 0; v < d.levels.length; v++) {
    if (d.levels[v]! > 0 && morphologicalMask[v] === 0) {
      throw new IbsiSettingError(
        `GLDZM: voxel ${v} is in the intensity mask (level ${d.levels[v]}) but not in morphologicalMask; the intensity mask must lie within the morphological mask`,
      );
    }
  }
}

/** The GLDZMs of a discretised ROI: one per slice (undefined where empty) and the 3D one. */
export type GldzmMatrices = TextureMatrices<LevelCountMatrix>;

/** Zones of the ROI with their distances (on the morphological mask's bounding box). */
function distanceZones(d: IbsiDiscretised, image: IbsiImage): SliceObservations<LevelCountMatrix> {
  checkImage(d, image);
  // Cropping to the morphological mask's bounding box keeps every distance: beyond the box there
  // is no mask voxel, and the zero border padToBox adds stands for it as for the image's edge.
  const box = nonZeroBounds(image.morphologicalMask, image.size);
  const roi = padRoi(d.levels, image.size, box);
  const mask = box ? padToBox(image.morphologicalMask, image.size, box).data : new Uint8Array(1);
  const zonesWithDistance = (neighbourhood: TextureNeighbourhood) => (): LevelCountObservations => {
    const zones = labelZones(roi.levels, roi.size, neighbourhood);
    const map = borderDistanceMap(mask, roi.size, neighbourhood);
    return {
      length: zones.count,
      level: zones.level,
      count: zoneDistances(zones, map),
      slice: zones.slice,
    };
  };
  return levelCountObservations(roi, zonesWithDistance("2D"), zonesWithDistance("3D"));
}

/** The per-slice (2D, indexed by z) and volumetric (3D) grey level distance zone matrices. */
export function gldzmMatrices(d: IbsiDiscretised, image: IbsiImage): GldzmMatrices {
  return textureMatrices(distanceZones(d, image), image.size[2]);
}

/**
 * The 16 GLDZM features in the aggregations 8QNN, 62GR and KOBO (48 values). `d.levels` > 0 marks
 * the intensity mask (zones); `image.morphologicalMask` gives the distances; `image.size` the grid.
 * NaN only where no zone exists (empty intensity mask).
 */
export function gldzmFeatures(
  d: IbsiDiscretised,
  image: IbsiImage,
  dimensions?: readonly IbsiTextureDimension[],
): IbsiFeatureValue[] {
  return aggregateTexture(
    distanceZones(d, image),
    GLDZM_TAGS,
    levelCountFeatures,
    checkTextureDimensions(dimensions, "GLDZM"),
  );
}
