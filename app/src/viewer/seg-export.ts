/**
 * DICOM-SEG export of a mask drawn on an image that came from a DICOM series: the series' files
 * are parsed (headers only), planned into volumes as the loader does, and the volume on the
 * image's grid supplies the referenced instances for the pure SEG writer.
 */
import { numberOf, parseDicom } from "../../../src/io/dicom/parse.js";
import { type SegmentationReference, writeSegmentation } from "../../../src/io/dicom/seg-write.js";
import { planGrid, scanSeries } from "../../../src/io/dicom/series.js";
import type { Volume } from "../../../src/image/volume.js";

/**
 * The reference instances (one per slice, in the mask's k order) of the series volume among
 * `files` whose grid is the mask's. Throws an Error with a user-facing reason when none is.
 */
export function referenceInstances(
  files: readonly Uint8Array[],
  mask: Volume,
): SegmentationReference[] {
  const instances = files.map((bytes, i) =>
    parseDicom(bytes, `DICOM file ${i + 1}`, { headerOnly: true }),
  );
  const scan = scanSeries(instances);
  const minSpacing = Math.min(...mask.spacing);
  for (const plan of scan.images) {
    for (let k = 0; k < plan.volumes.length; k++) {
      const g = planGrid(plan, k);
      const sameSize = g.size.every((n, a) => n === mask.size[a]);
      const originOff = Math.max(...g.origin.map((x, a) => Math.abs(x - mask.origin[a]!)));
      const dirOff = Math.max(...g.direction.map((x, a) => Math.abs(x - mask.direction[a]!)));
      if (sameSize && originOff < 0.1 * minSpacing && dirOff < 1e-3) {
        return plan.volumes[k]!.frames.map((f) => ({
          dataset: f.instance.dataset,
          sopClassUid: f.instance.sopClassUid,
          sopInstanceUid: f.instance.sopInstanceUid,
          ...((numberOf(f.instance.dataset, "NumberOfFrames") ?? 1) > 1
            ? { frameNumber: f.frameIndex + 1 }
            : {}),
        }));
      }
    }
  }
  const problems = scan.problems.map((p) => p.error.message);
  throw new Error(
    `none of the ${files.length} DICOM files' series is on the image's grid (${mask.size.join(" x ")} voxels)${problems.length > 0 ? `; ${problems.join("; ")}` : ""}`,
  );
}

/** The mask's `label` as a DICOM-SEG (Part 10 bytes) referencing the series in `files`. */
export function segmentationBytes(
  files: readonly Uint8Array[],
  mask: Volume<Uint8Array>,
  label: number,
  name: string,
  file: string,
): Uint8Array {
  const instances = referenceInstances(files, mask);
  return writeSegmentation(mask, { instances }, { label, name, file });
}
