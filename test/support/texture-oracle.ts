/**
 * Class-level parity with the PyRadiomics oracle for the texture classes: each oracle run on the
 * original image is reduced to PyRadiomics' own steps for one class (crop to the label's bounding
 * box + padDistance as cropToTumorMask, absolute resegmentation where the parameter file asks for
 * it, binning) and the class' values are compared with the oracle at 1e-9. The full pipeline is
 * checked separately by feature-parity.test.ts.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import yaml from "js-yaml";
import type { DiscretisedRoi } from "../../src/features/types.js";
import { discretise } from "../../src/image/discretise.js";
import type { Vec3, Volume } from "../../src/image/volume.js";
import { readImageFile } from "../../src/node/files.js";
import { missingReference, readOracle, referenceDir } from "./reference.js";

/** Label voxels, bounding box + padDistance clipped to the image (PyRadiomics cropToTumorMask). */
export function cropToMask(
  image: Volume,
  mask: Volume,
  label: number,
  pad: number,
  minValue?: number,
) {
  const inRoi = (k: number) =>
    mask.data[k] === label && (minValue === undefined || image.data[k]! >= minValue);
  const [nx, ny, nz] = image.size;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  let k = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, k++) {
        if (!inRoi(k)) continue;
        const c = [x, y, z];
        for (let d = 0; d < 3; d++) {
          lo[d] = Math.min(lo[d]!, c[d]!);
          hi[d] = Math.max(hi[d]!, c[d]!);
        }
      }
    }
  }
  const from = lo.map((v) => Math.max(v - pad, 0));
  const to = hi.map((v, d) => Math.min(v + pad, image.size[d]! - 1));
  const size: Vec3 = [to[0]! - from[0]! + 1, to[1]! - from[1]! + 1, to[2]! - from[2]! + 1];
  const values = new Float64Array(size[0] * size[1] * size[2]);
  const roi = new Uint8Array(values.length);
  let o = 0;
  for (let z = from[2]!; z <= to[2]!; z++) {
    for (let y = from[1]!; y <= to[1]!; y++) {
      for (let x = from[0]!; x <= to[0]!; x++, o++) {
        const src = x + nx * (y + ny * z);
        values[o] = image.data[src]!;
        roi[o] = inRoi(src) ? 1 : 0;
      }
    }
  }
  return { values, roi, size };
}

export interface ClassOracleOptions {
  /** Feature class prefix in the oracle names ("glcm"). */
  className: string;
  /** Parameter files run on the 3D cases (the 2D slice cases always run slice2D_all and baseline_2d_shape2D). */
  params3D: readonly string[];
  /** The class' values for a discretised ROI and the parameter file's `setting` section. */
  compute: (roi: DiscretisedRoi, setting: Record<string, unknown>) => Record<string, number>;
}

/** Registers one test per (case, parameter file), or one loud skip without the reference folder. */
export function defineClassOracleTests(options: ClassOracleOptions): void {
  const upper = options.className.toUpperCase();
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  if (!ref || !existsSync(join(root, "oracle"))) {
    console.log(missingReference(`${upper} oracle parity`));
    test(`${upper} oracle parity (skipped: no reference folder)`, {
      skip: "reference folder absent",
    }, () => {});
    return;
  }
  const runs: [string, string][] = [];
  for (const c of ["brain1", "brain2", "breast1"]) {
    for (const p of options.params3D) runs.push([c, p]);
    for (const p of ["slice2D_all", "baseline_2d_shape2D"]) runs.push([`${c}_slice2D`, p]);
  }
  const loaded = new Map<string, Promise<[Volume, Volume]>>();
  const loadCase = (c: string): Promise<[Volume, Volume]> => {
    let v = loaded.get(c);
    if (!v) {
      v = Promise.all([
        readImageFile(join(root, "data", `${c}_image.nrrd`)),
        readImageFile(join(root, "data", `${c}_label.nrrd`)),
      ]);
      loaded.set(c, v);
    }
    return v;
  };
  const prefix = `original_${options.className}_`;
  for (const [c, p] of runs) {
    test(`${upper} oracle parity ${c} / ${p}`, async () => {
      const s = ((
        yaml.load(readFileSync(join(root, "params", `${p}.yaml`), "utf8")) as {
          setting?: Record<string, unknown>;
        }
      ).setting ?? {}) as Record<string, unknown>;
      const oracle = readOracle(root, `${c}__${p}`);
      const [image, mask] = await loadCase(c);
      // baseline_flatRegion: resegmentRange [0] (absolute) keeps ROI voxels >= 0
      const reseg = s.resegmentRange as number[] | undefined;
      const crop = cropToMask(image, mask, 1, 5, reseg ? reseg[0] : undefined);
      const binning = s.binCount
        ? { binCount: s.binCount as number }
        : { binWidth: (s.binWidth as number) ?? 25 };
      const d = discretise(crop.values, crop.roi, binning);
      const roi: DiscretisedRoi = {
        levels: d.levels,
        mask: crop.roi,
        size: crop.size,
        spacing: image.spacing,
        nLevels: d.nLevels,
        dimension: image.dimension,
      };
      const got = options.compute(roi, s);
      const expectedNames = Object.keys(oracle)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length));
      assert.deepEqual(Object.keys(got), expectedNames);
      for (const name of expectedNames) {
        const want = oracle[`${prefix}${name}`]!;
        const v = got[name]!;
        assert.ok(
          Math.abs(v - want) <= 1e-9 * Math.abs(want) + 1e-12,
          `${c}/${p} ${options.className} ${name}: got ${v}, oracle ${want}`,
        );
      }
    });
  }
}
