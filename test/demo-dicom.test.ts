/**
 * `radscore demo --dicom`: the demo cohort written as the two centres' scanners export it reads
 * back as the NRRD demo's images and masks (DWI split into b = 0 / 800 by each vendor's own tags,
 * DCE into 5 / 6 phases, SEGs on the drawn-on instances), and a study run from DICOM gives the
 * NRRD study's features and model. The NRRD run is the reference: every expected value comes from
 * it, never from the DICOM path. A subset of the cohort and light extraction parameters keep it
 * short; the full demo study is the same code on all 133 patients.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import yaml from "js-yaml";
import {
  demoDicomStudyConfig,
  demoStudyConfig,
  planDemoCohort,
  writeDemoCohort,
  writeDemoDicomCohort,
} from "../src/cli/demo.js";
import { diffusionOf } from "../src/io/dicom/diffusion.js";
import { readDicomFolder, readDicomVolume } from "../src/node/dicom-files.js";
import { readImageFile } from "../src/node/files.js";
import { maskTargetOf, readImageInput, readMaskInput } from "../src/node/image-inputs.js";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { DEMO_SEQUENCES } from "../src/study/demo-cohort.js";
import { DEMO_DICOM_SEQUENCES, demoDicomPatient } from "../src/study/demo-dicom.js";

const SEED = 20250101;

/** Original image only, three classes: the comparison needs features, not the demo's 665. */
const LIGHT_PARAMS = [
  "imageType:",
  "  Original: {}",
  "featureClass:",
  "  shape:",
  "  firstorder:",
  "  glcm:",
  "setting:",
  "  binWidth: 25",
  "  label: 1",
  "  normalize: true",
  "  normalizeScale: 100",
  "",
].join("\n");

// Every 6th training patient (12, the first 5 with a second reader) and every 7th test patient
// (10): both outcomes in both sets, both vendors.
const SUBSET = (() => {
  const all = planDemoCohort(SEED);
  const training = all.filter((p) => p.patient.centre === 1).filter((_, i) => i % 6 === 0);
  const test = all.filter((p) => p.patient.centre === 2).filter((_, i) => i % 7 === 0);
  return [...training, ...test];
})();
const IDS = SUBSET.map((p) => p.patient.id);

let dir = "";
const quiet = () => {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "radscore-demo-dicom-"));
  await writeDemoCohort(dir, SEED, quiet, { patients: IDS, params: LIGHT_PARAMS });
  await writeDemoDicomCohort(dir, SEED, quiet, { patients: IDS, params: LIGHT_PARAMS });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the subset has both outcomes in both centres and second readers", () => {
  for (const centre of [1, 2]) {
    const pcr = SUBSET.filter((p) => p.patient.centre === centre).map((p) => p.patient.pcr);
    assert.ok(pcr.includes(0) && pcr.includes(1), `centre ${centre} outcomes ${pcr.join("")}`);
  }
  assert.ok(SUBSET.filter((p) => p.secondReader).length >= 3);
});

test("study-dicom.yaml is study.yaml with the DICOM manifest and the DWI / DCE2 selectors", () => {
  const nrrd = demoStudyConfig() as { cohort: Record<string, unknown> };
  const dicom = demoDicomStudyConfig() as { cohort: Record<string, unknown> };
  const seqs = dicom.cohort.sequences as Record<string, Record<string, unknown>>;
  assert.deepEqual(seqs.T2, {
    image: "T2_image",
    mask: "T2_mask",
    mask2: "T2_mask2",
    params: "params.yaml",
  });
  assert.equal(seqs.DWI!.bvalue, 800);
  assert.equal(seqs.DCE2!.phase, 2);
  const strip = (c: { cohort: Record<string, unknown> }) => ({
    ...c,
    cohort: { ...c.cohort, manifest: null, sequences: null },
  });
  assert.deepEqual(strip(dicom), strip(nrrd));
  assert.equal(dicom.cohort.manifest, "cohort-dicom/manifest.csv");
  // Same clinical columns in both manifests.
  const header = (f: string) => readFileSync(join(dir, f), "utf8").split(/\r?\n/)[0];
  assert.equal(header("cohort-dicom/manifest.csv"), header("cohort/manifest.csv"));
});

test("DICOM read back: vendor b-value tags split DWI into b = 0 / 800, DCE into 5 / 6 phases, voxels are the NRRD demo's", async () => {
  const philips = SUBSET.find((p) => p.patient.centre === 1 && p.secondReader)!.patient.id;
  const siemens = SUBSET.find((p) => p.patient.centre === 2)!.patient.id;
  for (const [id, vendor, phases] of [
    [philips, "Philips", 5],
    [siemens, "SIEMENS", 6],
  ] as const) {
    const root = join(dir, "cohort-dicom", id);
    // DWI: two volumes, b from the vendor's private tags (Siemens writes no public b-value).
    const dwi = await readDicomFolder(join(root, "DWI"));
    assert.equal(dwi.scan.images.length, 1);
    const plan = dwi.scan.images[0]!;
    assert.ok(plan.manufacturer?.startsWith(vendor), plan.manufacturer);
    assert.equal(plan.kind, "bvalue");
    assert.deepEqual(
      plan.volumes.map((v) => v.bvalue),
      [0, 800],
    );
    for (const v of plan.volumes) {
      const info = diffusionOf(v.frames[0]!.attributes, plan.manufacturer);
      assert.ok(info, `${id} b = ${v.bvalue}: no diffusion information`);
      assert.match(
        info.source,
        vendor === "Philips" ? /\(2001,1003\) Philips/ : /CSA image header/,
      );
      if (vendor === "SIEMENS") {
        assert.equal(
          v.frames[0]!.attributes.DiffusionBValue,
          undefined,
          "Siemens: no public b-value",
        );
      }
    }
    // DCE: the centre's number of phases.
    const dce = await readDicomFolder(join(root, "DCE"));
    assert.equal(dce.scan.images.length, 1);
    assert.equal(dce.scan.images[0]!.kind, "phase");
    assert.equal(dce.scan.images[0]!.volumes.length, phases);

    // Every selected image and SEG mask equals the NRRD demo's, voxel for voxel, on its grid.
    const p = SUBSET.find((q) => q.patient.id === id)!;
    for (const seq of DEMO_SEQUENCES) {
      const nrrdImage = await readImageFile(
        join(dir, "cohort", "images", `${id}_${seq}_image.nrrd`),
      );
      const { folder, selector } = DEMO_DICOM_SEQUENCES[seq];
      const input = await readImageInput(join(root, folder), selector);
      assert.deepEqual(input.volume.size, nrrdImage.size, `${id} ${seq} size`);
      assert.deepEqual(input.volume.spacing, nrrdImage.spacing, `${id} ${seq} spacing`);
      assert.deepEqual(input.volume.origin, nrrdImage.origin, `${id} ${seq} origin`);
      assert.deepEqual(input.volume.direction, nrrdImage.direction, `${id} ${seq} direction`);
      assert.deepEqual(input.volume.data, nrrdImage.data, `${id} ${seq} voxels`);
      const readers = p.secondReader ? (["", "2"] as const) : ([""] as const);
      for (const r of readers) {
        const nrrdMask = await readImageFile(
          join(dir, "cohort", "images", `${id}_${seq}_mask${r}.nrrd`),
        );
        const segMask = await readMaskInput(join(root, `${seq}_seg${r}.dcm`), maskTargetOf(input));
        assert.deepEqual(
          Array.from(segMask.data, (x) => (x ? 1 : 0)),
          Array.from(nrrdMask.data, (x) => (x ? 1 : 0)),
          `${id} ${seq} reader ${r || 1} mask`,
        );
      }
      assert.equal(existsSync(join(root, `${seq}_seg2.dcm`)), p.secondReader);
    }
  }
});

test("a SEG drawn on DWI references the b = 800 instances, on DCE the phase-2 instances", async () => {
  const id = SUBSET.find((p) => p.patient.centre === 2)!.patient.id;
  const root = join(dir, "cohort-dicom", id);
  for (const [seq, volume] of [
    ["DWI", 1],
    ["DCE2", 1],
  ] as const) {
    const { plan, folder } = await readDicomVolume(
      join(root, DEMO_DICOM_SEQUENCES[seq].folder),
      DEMO_DICOM_SEQUENCES[seq].selector,
    );
    assert.ok(folder.instances.length > 0);
    const wanted = new Set(plan.volumes[volume]!.frames.map((f) => f.instance.sopInstanceUid));
    const seg = await readDicomFolder(join(root)).then((f) =>
      f.scan.others.flatMap((o) => o.instances).find((i) => i.file.endsWith(`${seq}_seg.dcm`)),
    );
    assert.ok(seg, `${seq} SEG`);
    const refs = (
      seg.dataset.ReferencedSeriesSequence as { ReferencedInstanceSequence: unknown[] }[]
    )
      .flatMap((s) => s.ReferencedInstanceSequence as { ReferencedSOPInstanceUID: string }[])
      .map((r) => r.ReferencedSOPInstanceUID);
    assert.equal(refs.length, wanted.size);
    for (const uid of refs) assert.ok(wanted.has(uid), `${seq}: ${uid} is not a drawn-on instance`);
  }
});

test("deterministic: the same patient gives byte-identical files; a rerun reuses the cohort", async () => {
  const p = SUBSET.find((q) => q.patient.centre === 2)!;
  const a = demoDicomPatient(p.patient, { seed: SEED, secondReader: p.secondReader });
  const onDisk = a.files.map((f) => readFileSync(join(dir, "cohort-dicom", p.patient.id, f.path)));
  a.files.forEach((f, i) => {
    assert.ok(Buffer.from(f.bytes).equals(onDisk[i]!), `${f.path} differs between two runs`);
  });
  const messages: string[] = [];
  await writeDemoDicomCohort(dir, SEED, (m) => messages.push(m), {
    patients: IDS,
    params: LIGHT_PARAMS,
  });
  assert.match(messages.join("\n"), /already in/);
});

test("the study run from DICOM gives the NRRD study's features, second-reader features and model", async () => {
  // The same lighter study for both (small cohort: 3 folds, few bootstrap rounds, no report);
  // each run differs from the other only in its manifest and selectors.
  const light = (config: Record<string, unknown>) => ({
    ...config,
    // Three clinical variables: on 12 training patients some levels of the others are empty.
    cohort: {
      ...(config.cohort as object),
      clinical: {
        age: { type: "continuous" },
        ki67_high: { type: "binary", labels: ["<20%", ">=20%"] },
        morphology: { type: "categorical", levels: ["regular", "irregular"], reference: "regular" },
      },
    },
    selection: {
      ...(config.selection as object),
      fClassif: { enabled: true, p: 0.5 },
      lasso: { ...(config.selection as { lasso: object }).lasso, folds: 3 },
    },
    clinical: { model: ["ki67_high", "morphology"] },
    evaluation: { bootstrap: 5, seed: 20250101 },
    outputs: { report: false },
  });
  writeFileSync(join(dir, "study.yaml"), yaml.dump(light(demoStudyConfig()), { lineWidth: -1 }));
  writeFileSync(
    join(dir, "study-dicom.yaml"),
    yaml.dump(light(demoDicomStudyConfig()), { lineWidth: -1 }),
  );
  const run = (config: string, out: string) =>
    runStudyFromConfig(join(dir, config), {
      out: join(dir, out),
      log: quiet,
      progress: false,
      createdAt: "2025-01-01T00:00:00.000Z",
    });
  const nrrd = await run("study.yaml", "out-nrrd");
  const dicom = await run("study-dicom.yaml", "out-dicom");
  const read = (out: string, f: string) => readFileSync(join(dir, out, f), "utf8");
  for (const f of ["features.csv", "features-reader2.csv", "predictions.csv"]) {
    assert.ok(nrrd.files.includes(f), `${f} written`);
    assert.equal(read("out-dicom", f), read("out-nrrd", f), f);
  }
  const model = JSON.parse(read("out-nrrd", "model.json"));
  assert.ok(model.features.length > 0, "the reference model selected features");
  assert.deepEqual(JSON.parse(read("out-dicom", "model.json")), model);
  assert.deepEqual(
    dicom.output.model.radscore.coefficients,
    nrrd.output.model.radscore.coefficients,
  );
});
