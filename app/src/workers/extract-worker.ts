/**
 * Extraction worker: reads (or, for the demo, generates) one image and extracts the features of
 * each of its readers' masks with the pure core, exactly as `radscore extract` does; or, for the
 * study's robustness step, perturbs one image and mask and extracts every perturbed pair, as
 * `radscore study`'s perturb task does. Finished cases are stored in the workspace's feature store
 * under a key of the inputs' SHA-256 and the parameters (with the radscore version; perturbations
 * also with the plan), so a cancelled or reloaded run resumes where it stopped.
 */
import { extractFeatures } from "../../../src/extract/extractor.js";
import { defaultParams, type Params, parseParams } from "../../../src/extract/params.js";
import { extractVoxelMaps } from "../../../src/extract/voxel.js";
import { FEATURE_CATALOGUE } from "../../../src/features/registry.js";
import { FILTERS } from "../../../src/filters/index.js";
import {
  extractPerturbedFeatures,
  type PerturbedFeatures,
} from "../../../src/image/perturbation/features.js";
import type { Volume } from "../../../src/image/volume.js";
import { preloadKernels } from "../../../src/kernels/wasm.js";
import {
  type DemoPatient,
  generateDemoCohort,
  generateDemoImages,
} from "../../../src/study/demo-cohort.js";
import { suffixFeatureNames } from "../../../src/study/features-table.js";
import { robustnessPlan } from "../../../src/study/robustness.js";
import { VERSION } from "../../../src/version.js";
import {
  type ReadBytes,
  type ReadImage,
  readImageSpec,
  readMaskSpec,
  readOnce,
} from "../data/read-inputs.js";
import { getItem, putItem } from "../state/idb.js";
import { sha256OrNull } from "./hash.js";
import type {
  ExtractJob,
  ExtractReply,
  ImageSpec,
  MaskSpec,
  PerturbJob,
  PerturbReply,
  VoxelMapJob,
  VoxelMapReply,
} from "./protocol.js";
import { workerScope } from "./scope.js";

const scope = workerScope;

// Compile the WebAssembly kernels in the background while the first job's files are read.
preloadKernels().catch(() => {});

const paramsCache = new Map<string, Params>();
function paramsOf(text: string | null): Params {
  const key = text ?? "<defaults>";
  let params = paramsCache.get(key);
  if (!params) {
    params =
      text === null
        ? defaultParams(FEATURE_CATALOGUE)
        : parseParams(text, FEATURE_CATALOGUE, "parameters");
    paramsCache.set(key, params);
  }
  return params;
}

const demoCohorts = new Map<number, DemoPatient[]>();
function demoPatient(seed: number, id: string): DemoPatient {
  let cohort = demoCohorts.get(seed);
  if (!cohort) {
    cohort = generateDemoCohort({ seed });
    demoCohorts.set(seed, cohort);
  }
  const patient = cohort.find((p) => p.id === id);
  if (!patient) throw new Error(`no demo patient '${id}' for seed ${seed}`);
  return patient;
}

function volumeBytes(v: Volume): Uint8Array {
  return new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
}

/** A key of an image input that changes whenever its content or selector does (null: no Web Crypto). */
async function imageKeyOf(spec: ImageSpec, bytesOf: ReadBytes): Promise<string | null> {
  if (spec.kind === "demo")
    return `demo-cohort/3:${spec.seed}:${spec.patient}:${spec.sequence}:${spec.secondReader}`;
  if (spec.kind === "file") return sha256OrNull(await bytesOf(spec.file));
  const lines: string[] = [JSON.stringify(spec.selector)];
  for (const f of spec.files) {
    const h = await sha256OrNull(await bytesOf(f.file));
    if (h === null) return null;
    lines.push(`${f.name}\t${h}`);
  }
  return sha256OrNull(lines.join("\n"));
}

/** A key of a mask input (with the image's key, that of the pair; null: no Web Crypto). */
async function maskKeyOf(m: MaskSpec, bytesOf: ReadBytes): Promise<string | null> {
  if (m.kind === "demo") return m.which;
  if (m.kind === "volume") return sha256OrNull(volumeBytes(m.volume));
  const h = await sha256OrNull(await bytesOf(m.file));
  return h === null ? null : `${h}:${JSON.stringify(m.selector ?? {})}`;
}

/** What the features depend on besides the image and mask: version, label and parameters. */
function paramsKeyOf(job: { label: number | null; paramsText: string | null }): string {
  return `${VERSION}\n${job.label ?? ""}\n${job.paramsText ?? "<defaults>"}`;
}

/** An image as read (or, for the demo, generated with its masks). */
interface CaseImage {
  read: ReadImage;
  demo: ReturnType<typeof generateDemoImages> | null;
}

async function readJobImage(spec: ImageSpec, bytes?: ReadBytes): Promise<CaseImage> {
  if (spec.kind !== "demo") return { read: await readImageSpec(spec, bytes), demo: null };
  const demo = generateDemoImages(demoPatient(spec.seed, spec.patient), spec.sequence, {
    secondReader: spec.secondReader,
  });
  return { read: { volume: demo.image }, demo };
}

function readJobMask(m: MaskSpec, image: CaseImage, bytes?: ReadBytes): Promise<Volume> {
  if (m.kind === "demo") return Promise.resolve(image.demo![m.which]);
  return readMaskSpec(m, image.read, bytes);
}

/**
 * A voxel-based feature map for the viewer: the sequence's parameters with one feature of one
 * class on the Original image, on the image's grid (NaN outside the map's ROI voxels).
 */
async function runVoxelMap(job: VoxelMapJob): Promise<VoxelMapReply> {
  const [className, featureName] = job.feature.split("_") as [string, string];
  const params = structuredClone(paramsOf(job.paramsText));
  const original = params.imageTypes.find((t) => t.name === "Original");
  params.imageTypes = [{ name: "Original", settings: original?.settings ?? {} }];
  params.featureClasses = [{ name: className, features: [featureName] }];
  params.voxelSettings = {
    kernelRadius: job.kernelRadius,
    maskedKernel: true,
    initValue: Number.NaN,
  };
  const image = await readJobImage(job.image);
  const mask = await readJobMask(job.mask, image);
  const [map] = extractVoxelMaps(image.read.volume, mask, params, {
    ...(job.label !== null ? { label: job.label } : {}),
    filters: FILTERS,
  });
  if (!map) throw new Error(`no map for ${job.feature}`);
  if (!map.onInputGrid)
    throw new Error(
      "the parameters resample the image: its feature maps are not on the image's grid",
    );
  const [nx, ny] = image.read.volume.size;
  const [mx, my, mz] = map.map.size;
  const full = new Float64Array(image.read.volume.data.length).fill(Number.NaN);
  const { lower } = map.bounds;
  for (let z = 0; z < mz; z++)
    for (let y = 0; y < my; y++)
      for (let x = 0; x < mx; x++)
        full[lower[0] + x + nx * (lower[1] + y + ny * (lower[2] + z))] =
          map.map.data[x + mx * (y + my * z)]!;
  return { id: job.id, ok: true, map: { ...image.read.volume, data: full } };
}

async function run(job: ExtractJob): Promise<ExtractReply> {
  const paramsKey = paramsKeyOf(job);
  const spec = job.image;
  // Each file is read once: for its hash (the feature-store key), then, unless cached, to decode.
  const bytesOf = readOnce();
  const imageKey = await imageKeyOf(spec, bytesOf);
  // The image is read (or generated) once, when the first mask that is not cached needs it.
  let image: CaseImage | null = null;
  const loadImage = async (): Promise<CaseImage> => {
    image ??= await readJobImage(spec, bytesOf);
    return image;
  };
  const loadMask = async (m: MaskSpec): Promise<Volume> =>
    readJobMask(m, await loadImage(), bytesOf);
  const results: { reader: 1 | 2; features: Record<string, number>; cached: boolean }[] = [];
  for (const { reader, mask } of job.masks) {
    const key = imageKey === null ? null : await maskKeyOf(mask, bytesOf);
    const cacheKey = key === null ? null : await sha256OrNull(`${imageKey}:${key}:${paramsKey}`);
    if (cacheKey) {
      const hit = await getItem<Record<string, number>>("features", cacheKey).catch(
        () => undefined,
      );
      if (hit) {
        results.push({ reader, features: suffixFeatureNames(hit, job.sequence), cached: true });
        continue;
      }
    }
    const img = await loadImage();
    const msk = await loadMask(mask);
    const features = extractFeatures(img.read.volume, msk, paramsOf(job.paramsText), {
      ...(job.label !== null ? { label: job.label } : {}),
      filters: FILTERS,
    }).features;
    if (cacheKey) await putItem("features", cacheKey, features).catch(() => undefined);
    results.push({ reader, features: suffixFeatureNames(features, job.sequence), cached: false });
  }
  return { id: job.id, ok: true, results };
}

/**
 * The robustness step's work on one training patient's sequence: the plan of robustnessPlan (the
 * label as extraction resolves it: the sequence's, else the parameters'), then
 * extractPerturbedFeatures with its default extractor, the code the CLI's perturb task runs, so
 * the app's ICCs are the CLI's.
 */
async function runPerturbation(job: PerturbJob): Promise<PerturbReply> {
  const params = paramsOf(job.paramsText);
  const plan = robustnessPlan(job.settings, job.patientIndex, job.label ?? params.settings.label);
  const bytesOf = readOnce();
  const imageKey = await imageKeyOf(job.image, bytesOf);
  const maskKey = imageKey === null ? null : await maskKeyOf(job.mask, bytesOf);
  const cacheKey =
    maskKey === null
      ? null
      : await sha256OrNull(
          `perturbation\n${imageKey}\n${maskKey}\n${paramsKeyOf(job)}\n${JSON.stringify(plan)}`,
        );
  if (cacheKey) {
    const hit = await getItem<PerturbedFeatures>("features", cacheKey).catch(() => undefined);
    if (hit) return { id: job.id, ok: true, perturbed: hit, cached: true };
  }
  const image = await readJobImage(job.image, bytesOf);
  const mask = await readJobMask(job.mask, image, bytesOf);
  const perturbed = extractPerturbedFeatures(image.read.volume, mask, plan, params);
  if (cacheKey) await putItem("features", cacheKey, perturbed).catch(() => undefined);
  return { id: job.id, ok: true, perturbed, cached: false };
}

/** A failed job's message: who, what, why (a perturbation's as the CLI words it). */
function failureMessage(job: ExtractJob | VoxelMapJob | PerturbJob, message: string): string {
  if (job.kind === "perturb") return `${job.who}: ${job.sequence} perturbation failed: ${message}`;
  return `${job.who}: ${job.kind === "voxel-map" ? job.feature : job.sequence}: ${message}`;
}

function runJob(
  job: ExtractJob | VoxelMapJob | PerturbJob,
): Promise<ExtractReply | VoxelMapReply | PerturbReply> {
  if (job.kind === "voxel-map") return runVoxelMap(job);
  if (job.kind === "perturb") return runPerturbation(job);
  return run(job);
}

scope.addEventListener("message", (event: MessageEvent) => {
  const job = event.data as ExtractJob | VoxelMapJob | PerturbJob;
  runJob(job).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      scope.postMessage({
        id: job.id,
        ok: false,
        error: failureMessage(job, message),
      } satisfies ExtractReply);
    },
  );
});
