/**
 * `radscore demo`: generate a synthetic phantom (image + lesion mask, NRRD) into a folder and run
 * the extraction on it with PyRadiomics' default settings. Needs no external data.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { extractFeatures } from "../extract/extractor.js";
import { generatePhantom } from "../image/phantom.js";
import { writeFileAtomic } from "../node/atomic.js";
import { writeImageFile } from "../node/files.js";
import { featuresToJson, loadParams } from "./extract.js";

export async function runDemo(opts: { out?: string; seed?: string }): Promise<number> {
  const out = opts.out ?? "demo-out";
  const seed = opts.seed === undefined ? 20250101 : Number(opts.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${opts.seed}'`);
  await mkdir(out, { recursive: true });
  const { image, mask } = generatePhantom({ seed });
  const imagePath = join(out, "phantom_image.nrrd");
  const maskPath = join(out, "phantom_mask.nrrd");
  await writeImageFile(imagePath, image);
  await writeImageFile(maskPath, mask);
  const params = await loadParams(undefined);
  const t0 = performance.now();
  const result = extractFeatures(image, mask, params);
  const ms = performance.now() - t0;
  const featuresPath = join(out, "features.json");
  await writeFileAtomic(featuresPath, featuresToJson(result, false));
  const f = result.features;
  const n = Object.keys(f).length;
  const show = (k: string) => `  ${k} = ${f[k]}`;
  process.stdout.write(
    [
      `radscore demo: synthetic phantom (seed ${seed}) written to ${imagePath} and ${maskPath}`,
      `extracted ${n} PyRadiomics features in ${ms.toFixed(1)} ms -> ${featuresPath}`,
      show("original_shape_MeshVolume"),
      show("original_shape_Sphericity"),
      show("original_firstorder_Mean"),
      show("original_glcm_Contrast"),
      show("original_glszm_ZoneEntropy"),
      `same features from the command line: radscore extract ${imagePath} ${maskPath}`,
      "",
    ].join("\n"),
  );
  return 0;
}
