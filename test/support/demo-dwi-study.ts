/**
 * The image-mode study tests' cohort on disk (test/study-pipeline.test.ts, test/queue-study.test.ts):
 * every fifth patient of the demo cohort (seed 5), their DWI images and masks in DIR/img,
 * DIR/manifest.csv (id, centre, mp, the clinical columns asked for, DWI_image, DWI_mask) and
 * DIR/params.yaml (Original image, first order and GLCM, bin width 25).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCsv } from "../../src/io/csv.js";
import { writeImageFile } from "../../src/node/files.js";
import {
  type DemoPatient,
  generateDemoCohort,
  generateDemoImages,
} from "../../src/study/demo-cohort.js";

export async function writeDemoDwiStudy(
  dir: string,
  clinical: readonly (keyof DemoPatient["clinical"])[],
): Promise<DemoPatient[]> {
  const patients = generateDemoCohort({ seed: 5 }).filter((_, i) => i % 5 === 0);
  mkdirSync(join(dir, "img"));
  const rows: (string | number)[][] = [];
  for (const p of patients) {
    const im = generateDemoImages(p, "DWI", { secondReader: false });
    await writeImageFile(join(dir, "img", `${p.id}_image.nrrd`), im.image);
    await writeImageFile(join(dir, "img", `${p.id}_mask.nrrd`), im.mask);
    rows.push([
      p.id,
      p.centre,
      p.millerPayne,
      ...clinical.map((c) => p.clinical[c]),
      `img/${p.id}_image.nrrd`,
      `img/${p.id}_mask.nrrd`,
    ]);
  }
  writeFileSync(
    join(dir, "manifest.csv"),
    formatCsv(["id", "centre", "mp", ...clinical, "DWI_image", "DWI_mask"], rows),
  );
  writeFileSync(
    join(dir, "params.yaml"),
    "imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n  glcm:\nsetting:\n  binWidth: 25\n",
  );
  return patients;
}
