/**
 * `radscore dicom ls | convert | adc | mask | seg`: DICOM series listing and conversion, ADC maps,
 * SEG / RTSTRUCT to mask, mask to SEG. Every command writes its output atomically and only after
 * everything was read and checked, so an error leaves nothing behind.
 */
import { basename, dirname, join } from "node:path";
import { mapMaskNearest } from "../image/map-mask.js";
import { adcMap } from "../io/dicom/adc.js";
import { isDicom, numberOf, parseDicom } from "../io/dicom/parse.js";
import { isSegmentation } from "../io/dicom/seg-read.js";
import { writeSegmentation } from "../io/dicom/seg-write.js";
import { chooseVolume, type SeriesSelector } from "../io/dicom/select.js";
import { describeSeries, planGrid, type SeriesPlan } from "../io/dicom/series.js";
import { loadSeriesVolume } from "../io/dicom/series-volume.js";
import { ImageReadError } from "../io/image-error.js";
import { writeFileAtomic } from "../node/atomic.js";
import {
  type DicomFolder,
  loadSelectedVolume,
  readDicomFolder,
  seriesIn,
} from "../node/dicom-files.js";
import { readFileBytes, writeImageFile } from "../node/files.js";
import {
  gridOf,
  isRtstruct,
  maskFromDicomObject,
  readImageInput,
  readMaskInput,
} from "../node/image-inputs.js";
import { VERSION } from "../version.js";

export interface SelectorOptions {
  series?: string;
  volume?: string;
  phase?: string;
  bvalue?: string;
}

function integerOption(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be an integer >= ${min}, got '${text}'`);
  return n;
}

/** The selector the command-line options describe (numbers checked). */
export function selectorFrom(opts: SelectorOptions): SeriesSelector {
  const selector: SeriesSelector = {};
  if (opts.series !== undefined) selector.series = opts.series;
  const volume = integerOption(opts.volume, "volume", 0);
  if (volume !== undefined) selector.volume = volume;
  const phase = integerOption(opts.phase, "phase", 1);
  if (phase !== undefined) selector.phase = phase;
  if (opts.bvalue !== undefined) {
    const b = Number(opts.bvalue);
    if (!Number.isFinite(b) || b < 0)
      throw new Error(`--bvalue must be a number >= 0, got '${opts.bvalue}'`);
    selector.bvalue = b;
  }
  return selector;
}

const OUTPUT_EXTENSIONS = [".nii.gz", ".nrrd", ".nii", ".mha"];

function checkOutputName(out: string): string {
  const ext = OUTPUT_EXTENSIONS.find((e) => out.toLowerCase().endsWith(e));
  if (!ext) throw new Error(`${out}: the output must end in .nrrd, .nii, .nii.gz or .mha`);
  return ext;
}

/** One row of `dicom ls` (the JSON keys are part of the CLI's stable interface). */
export interface SeriesListing {
  seriesInstanceUid: string;
  seriesNumber: number | null;
  seriesDescription: string | null;
  modality: string | null;
  manufacturer: string | null;
  columns: number | null;
  rows: number | null;
  slices: number | null;
  spacing: [number, number, number] | null;
  volumes: number;
  kind: "phase" | "bvalue" | "echo" | "none";
  bvalues?: number[];
  stack?: number;
  files: number;
  error?: string;
}

function listing(folder: DicomFolder): SeriesListing[] {
  const rows: (SeriesListing & { order: number })[] = [];
  const base = (s: {
    seriesInstanceUid: string;
    seriesNumber?: number;
    seriesDescription?: string;
    modality?: string;
    manufacturer?: string;
  }) => ({
    seriesInstanceUid: s.seriesInstanceUid,
    seriesNumber: s.seriesNumber ?? null,
    seriesDescription: s.seriesDescription ?? null,
    modality: s.modality ?? null,
    manufacturer: s.manufacturer ?? null,
  });
  const order = (n: number | undefined) => n ?? Number.MAX_SAFE_INTEGER;
  for (const p of folder.scan.images) {
    const row: SeriesListing & { order: number } = {
      ...base(p),
      columns: p.columns,
      rows: p.rows,
      slices: p.slices,
      spacing: [...p.spacing],
      volumes: p.volumes.length,
      kind: p.kind,
      files: p.files.length,
      order: order(p.seriesNumber),
    };
    if (p.kind === "bvalue") row.bvalues = p.volumes.map((v) => v.bvalue ?? Number.NaN);
    if (p.stackCount > 1) row.stack = p.stack;
    rows.push(row);
  }
  // Series without a volume: unreadable ones (with the reason) and non-image objects.
  const noVolume = (s: Parameters<typeof base>[0], files: number, error?: string) => {
    rows.push({
      ...base(s),
      columns: null,
      rows: null,
      slices: null,
      spacing: null,
      volumes: 0,
      kind: "none",
      files,
      ...(error !== undefined ? { error } : {}),
      order: order(s.seriesNumber),
    });
  };
  for (const p of folder.scan.problems) noVolume(p, p.files.length, p.error.reason);
  for (const o of folder.scan.others) noVolume(o, o.instances.length);
  rows.sort((a, b) => a.order - b.order);
  return rows.map(({ order: _order, ...row }) => row);
}

const fmt = (x: number) => String(Number(x.toFixed(4)));

export async function runDicomLs(dir: string, opts: { json?: boolean }): Promise<number> {
  const folder = await readDicomFolder(dir);
  const rows = listing(folder);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const r of rows) {
      const head = `${r.seriesNumber ?? "-"}  ${r.modality ?? "?"}  ${JSON.stringify(r.seriesDescription ?? "")}  ${r.manufacturer ?? ""}`;
      process.stdout.write(
        `${head}\n  uid ${r.seriesInstanceUid}${r.stack ? ` (stack ${r.stack})` : ""}\n`,
      );
      if (r.error) process.stdout.write(`  NOT READABLE AS A VOLUME: ${r.error}\n`);
      else if (r.columns === null) process.stdout.write(`  ${r.files} object(s), no image\n`);
      else {
        const sp = r.spacing!.map(fmt).join(" x ");
        let line = `  ${r.columns} x ${r.rows} x ${r.slices}, spacing ${sp} mm, ${r.volumes} volume(s)`;
        if (r.volumes > 1) line += ` (${r.kind})`;
        if (r.bvalues) line += `, b = ${r.bvalues.join(", ")}`;
        process.stdout.write(`${line}\n`);
      }
    }
    if (folder.unreadable.length > 0) {
      process.stdout.write(`${folder.unreadable.length} unreadable DICOM file(s):\n`);
      for (const u of folder.unreadable) process.stdout.write(`  ${u.file}: ${u.reason}\n`);
    }
    if (folder.skipped.length > 0)
      process.stdout.write(`${folder.skipped.length} non-DICOM file(s) skipped\n`);
  }
  return 0;
}

/** `out.nii.gz` -> `out_3.nii.gz`. */
function volumeFileName(out: string, ext: string, k: number): string {
  return join(dirname(out), `${basename(out).slice(0, -ext.length)}_${k}${ext}`);
}

export async function runDicomConvert(
  dir: string,
  opts: SelectorOptions & { output: string },
): Promise<number> {
  const ext = checkOutputName(opts.output);
  const selector = selectorFrom(opts);
  const folder = await readDicomFolder(dir);
  const plan = seriesIn(folder, selector);
  const explicit =
    selector.volume !== undefined || selector.phase !== undefined || selector.bvalue !== undefined;
  if (explicit || plan.volumes.length === 1) {
    const volume = await loadSelectedVolume(plan, selector);
    await writeImageFile(opts.output, volume);
    process.stdout.write(`${opts.output}\n`);
    return 0;
  }
  // Every volume, each written once all were decoded (nothing written on a decoding error).
  const volumes = [];
  for (let k = 0; k < plan.volumes.length; k++) volumes.push(await loadSeriesVolume(plan, k));
  for (let k = 0; k < volumes.length; k++) {
    const file = volumeFileName(opts.output, ext, k);
    await writeImageFile(file, volumes[k]!);
    process.stdout.write(`${file}\t${describeVolume(plan, k)}\n`);
  }
  return 0;
}

function describeVolume(plan: SeriesPlan, k: number): string {
  const v = plan.volumes[k]!;
  if (plan.kind === "phase") return `phase ${v.phase}`;
  if (plan.kind === "bvalue")
    return `b = ${v.bvalue}${v.bvector ? ` [${v.bvector.map(fmt).join(", ")}]` : ""}`;
  if (plan.kind === "echo") return `echo time ${v.echoTime ?? "?"} ms`;
  return `volume ${k}`;
}

export async function runDicomAdc(
  dir: string,
  opts: { series?: string; bvalues?: string; output: string },
): Promise<number> {
  checkOutputName(opts.output);
  const folder = await readDicomFolder(dir);
  const plan = seriesIn(folder, opts.series !== undefined ? { series: opts.series } : {});
  if (plan.kind !== "bvalue") {
    throw new ImageReadError(
      describeSeries(plan),
      "is not a diffusion series (no b-values found in its public or vendor tags)",
    );
  }
  const available = [...new Set(plan.volumes.map((v) => v.bvalue!))].sort((a, b) => a - b);
  let bvalues = available;
  if (opts.bvalues !== undefined) {
    bvalues = opts.bvalues.split(",").map((t) => Number(t.trim()));
    if (bvalues.some((b) => !Number.isFinite(b) || b < 0) || new Set(bvalues).size < 2) {
      throw new Error(
        `--bvalues must list at least two different b-values >= 0, got '${opts.bvalues}'`,
      );
    }
  }
  if (bvalues.length < 2)
    throw new ImageReadError(
      describeSeries(plan),
      `needs at least two b-values for an ADC map (has ${available.join(", ")})`,
    );
  const images = [];
  for (const b of bvalues) images.push(await loadSelectedVolume(plan, { bvalue: b }));
  const adc = adcMap(images, bvalues);
  await writeImageFile(opts.output, adc.volume);
  process.stdout.write(
    `${opts.output}\tADC from b = ${bvalues.join(", ")} s/mm² in ${adc.units}${adc.invalidVoxels ? `; ${adc.invalidVoxels} voxel(s) with non-positive signal set to ${adc.invalidValue}` : ""}\n`,
  );
  return 0;
}

/** The series of `folder` a SEG / RTSTRUCT refers to (its ReferencedSeries), else the only one. */
function referencedPlan(folder: DicomFolder, uids: string[], what: string): SeriesPlan {
  if (uids.length > 0) {
    const plan = folder.scan.images.find((p) => uids.includes(p.seriesInstanceUid));
    if (plan) return plan;
    throw new ImageReadError(
      what,
      `the referenced series ${uids.join(", ")} is not in ${folder.root} (found: ${folder.scan.images.map((p) => describeSeries(p)).join("; ") || "no image series"})`,
    );
  }
  return seriesIn(folder, {});
}

function referencedSeriesUids(instance: ReturnType<typeof parseDicom>): string[] {
  const ds = instance.dataset;
  const uids: string[] = [];
  const items = (v: unknown) => (Array.isArray(v) ? v : v ? [v] : []) as Record<string, unknown>[];
  for (const s of items(ds.ReferencedSeriesSequence))
    if (typeof s.SeriesInstanceUID === "string") uids.push(s.SeriesInstanceUID);
  for (const f of items(ds.ReferencedFrameOfReferenceSequence))
    for (const st of items(f.RTReferencedStudySequence))
      for (const se of items(st.RTReferencedSeriesSequence))
        if (typeof se.SeriesInstanceUID === "string") uids.push(se.SeriesInstanceUID);
  return uids;
}

export async function runDicomMask(
  file: string,
  opts: {
    reference: string;
    output: string;
    segment?: string;
    roi?: string;
    grid?: string;
  } & SelectorOptions,
): Promise<number> {
  checkOutputName(opts.output);
  const bytes = await readFileBytes(file);
  if (!isDicom(bytes))
    throw new ImageReadError(file, "not a DICOM file (expected a DICOM-SEG or RTSTRUCT)");
  const instance = parseDicom(bytes, file);
  if (!isSegmentation(instance) && !isRtstruct(instance)) {
    throw new ImageReadError(
      file,
      `is neither a DICOM-SEG nor an RTSTRUCT (SOP class ${instance.sopClassUid})`,
    );
  }
  const folder = await readDicomFolder(opts.reference);
  const plan =
    opts.series !== undefined
      ? seriesIn(folder, { series: opts.series })
      : referencedPlan(folder, referencedSeriesUids(instance), file);
  // The mask is decoded onto the series' grid: its pixels need not be read.
  const segment = integerOption(opts.segment, "segment", 1);
  let mask = await maskFromDicomObject(
    instance,
    { grid: planGrid(plan), plan },
    {
      ...(segment !== undefined ? { segment } : {}),
      ...(opts.roi !== undefined ? { roi: opts.roi } : {}),
    },
  );
  if (opts.grid !== undefined) {
    const target = await readImageInput(opts.grid);
    mask = mapMaskNearest(mask, gridOf(target.volume));
  }
  await writeImageFile(opts.output, mask);
  process.stdout.write(`${opts.output}\n`);
  return 0;
}

export async function runDicomSeg(
  maskPath: string,
  opts: { reference: string; output: string; label?: string; name?: string } & SelectorOptions,
): Promise<number> {
  if (!opts.output.toLowerCase().endsWith(".dcm"))
    throw new Error(`${opts.output}: the SEG output must end in .dcm`);
  const selector = selectorFrom(opts);
  const folder = await readDicomFolder(opts.reference);
  const plan = seriesIn(folder, selector);
  // The SEG references one volume's instances (all volumes share the grid): the chosen one, else the first.
  const choice = chooseVolume(plan, selector);
  const k = "index" in choice ? choice.index : 0;
  const mask = await readMaskInput(maskPath, { grid: planGrid(plan, k), plan });
  const label = integerOption(opts.label, "label", 1);
  const bytes = writeSegmentation(
    mask,
    {
      instances: plan.volumes[k]!.frames.map((f) => ({
        dataset: f.instance.dataset,
        sopClassUid: f.instance.sopClassUid,
        sopInstanceUid: f.instance.sopInstanceUid,
        ...((numberOf(f.instance.dataset, "NumberOfFrames") ?? 1) > 1
          ? { frameNumber: f.frameIndex + 1 }
          : {}),
      })),
    },
    {
      ...(label !== undefined ? { label } : {}),
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      softwareVersion: VERSION,
      file: opts.output,
    },
  );
  await writeFileAtomic(opts.output, bytes);
  process.stdout.write(`${opts.output}\n`);
  return 0;
}
