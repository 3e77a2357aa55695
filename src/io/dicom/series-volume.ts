/**
 * Voxels of one planned volume (series.ts): frames decoded, the Modality LUT applied, slices laid
 * out x fastest as radscore's Volume.
 *
 * Modality LUT as ITK's GDCM reader applies it (gdcm::Rescaler): value = stored x RescaleSlope +
 * RescaleIntercept per frame. When every frame's slope and intercept are integers the result keeps
 * an integer type, the smallest that holds the rescaled range of the stored bits (int8 / uint8 /
 * int16 / uint16 / int32 / uint32; slope 1 and intercept 0 keep the stored type); otherwise it is
 * float64, as SimpleITK returns it. dcm2niix keeps the stored integers and writes slope/intercept
 * in the NIfTI header, which gives the same values once applied.
 *
 * Philips: besides RescaleSlope / RescaleIntercept (the "displayed value", DV) Philips MR stores a
 * private scale slope (2005,100E) that turns DV into its "floating point value" FP = DV / (RS x SS)
 * (dcm2niix's "Philips precise" scaling). ITK ignores it, and so does radscore by default, so that
 * features match PyRadiomics run on ITK-read images; `philipsPreciseScaling: true` applies it
 * (float64 output). Quantitative comparisons across Philips series with different scalings need it.
 */
import {
  allocateVoxels,
  type Volume,
  type VoxelArray,
  type VoxelType,
  withData,
} from "../../image/volume.js";
import { ImageReadError } from "../image-error.js";
import type { DicomFrame } from "./frames.js";
import { type DicomInstance, numberOf } from "./parse.js";
import { checkFrameSize, decodeFrames, type FrameArray, pixelModuleOf } from "./pixels.js";
import { describeSeries, planGrid, type SeriesPlan } from "./series.js";

export interface VolumeLoadOptions {
  /** Apply Philips' private scale slope (2005,100E): FP = DV / (RescaleSlope x ScaleSlope). */
  philipsPreciseScaling?: boolean;
}

const INTEGER_TYPES: { type: VoxelType; min: number; max: number }[] = [
  { type: "uint8", min: 0, max: 255 },
  { type: "int8", min: -128, max: 127 },
  { type: "uint16", min: 0, max: 65535 },
  { type: "int16", min: -32768, max: 32767 },
  { type: "uint32", min: 0, max: 4294967295 },
  { type: "int32", min: -2147483648, max: 2147483647 },
];

function storedRange(frame: DicomFrame): [number, number] {
  const pm = pixelModuleOf(frame.instance);
  const bits = pm.bitsAllocated === 1 ? 1 : pm.highBit + 1;
  return pm.pixelRepresentation === 1
    ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]
    : [0, 2 ** bits - 1];
}

function storedType(frame: DicomFrame): VoxelType {
  const pm = pixelModuleOf(frame.instance);
  const signed = pm.pixelRepresentation === 1;
  if (pm.bitsAllocated <= 8) return signed ? "int8" : "uint8";
  if (pm.bitsAllocated === 16) return signed ? "int16" : "uint16";
  return signed ? "int32" : "uint32";
}

interface Scaling {
  slope: number;
  intercept: number;
}

function scalingOf(frame: DicomFrame, options: VolumeLoadOptions): Scaling {
  const slope = frame.rescaleSlope;
  const intercept = frame.rescaleIntercept;
  if (options.philipsPreciseScaling) {
    const ss = numberOf(frame.attributes, "2005100E");
    if (ss !== undefined && ss !== 0) {
      // FP = (stored x RS + RI) / (RS x SS)
      return { slope: 1 / ss, intercept: intercept / (slope * ss) };
    }
  }
  return { slope, intercept };
}

/** The voxel type GDCM's rescaler gives for these frames (see the module comment). */
export function rescaledType(frames: DicomFrame[], options: VolumeLoadOptions = {}): VoxelType {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let identity = true;
  for (const f of frames) {
    const { slope, intercept } = scalingOf(f, options);
    if (!Number.isInteger(slope) || !Number.isInteger(intercept)) return "double";
    if (slope !== 1 || intercept !== 0) identity = false;
    const [a, b] = storedRange(f);
    lo = Math.min(lo, a * slope + intercept, b * slope + intercept);
    hi = Math.max(hi, a * slope + intercept, b * slope + intercept);
  }
  if (identity) return storedType(frames[0]!);
  const fit = INTEGER_TYPES.find((t) => t.min <= lo && hi <= t.max);
  return fit ? fit.type : "double";
}

/**
 * Decodes the frames a volume needs, one instance at a time (a multi-frame instance once), and
 * calls `use` for each frame with its slice index.
 */
async function forEachDecodedFrame(
  frames: DicomFrame[],
  use: (slice: number, frame: DicomFrame, values: FrameArray) => void,
): Promise<void> {
  const byInstance = new Map<DicomInstance, { slice: number; frame: DicomFrame }[]>();
  frames.forEach((frame, slice) => {
    const list = byInstance.get(frame.instance);
    if (list) list.push({ slice, frame });
    else byInstance.set(frame.instance, [{ slice, frame }]);
  });
  for (const [instance, wanted] of byInstance) {
    const decoded = await decodeFrames(instance);
    for (const { slice, frame } of wanted) {
      const values = decoded[frame.frameIndex];
      if (!values) {
        throw new ImageReadError(
          instance.file,
          `frame ${frame.frameIndex + 1} is missing from the pixel data`,
        );
      }
      use(slice, frame, values);
    }
  }
}

/** One tile of a mosaic's stored image (rows x columns pixels from (row0, column0)). */
function tileOf(
  stored: FrameArray,
  tile: NonNullable<DicomFrame["tile"]>,
  rows: number,
  columns: number,
): FrameArray {
  const out = allocateLike(stored, rows * columns);
  for (let j = 0; j < rows; j++) {
    const from = (tile.row0 + j) * tile.storedColumns + tile.column0;
    out.set(stored.subarray(from, from + columns), j * columns);
  }
  return out;
}

function allocateLike(a: FrameArray, n: number): FrameArray {
  return new (a.constructor as new (n: number) => FrameArray)(n);
}

/** The voxels of volume `index` of a planned series, with the plan's geometry. */
export async function loadSeriesVolume(
  plan: SeriesPlan,
  index: number,
  options: VolumeLoadOptions = {},
): Promise<Volume> {
  const volume = plan.volumes[index];
  if (!volume) {
    throw new ImageReadError(
      describeSeries(plan),
      `volume ${index} does not exist (the series has ${plan.volumes.length}: 0-${plan.volumes.length - 1})`,
    );
  }
  const { rows, columns } = plan;
  const perSlice = rows * columns;
  for (const f of volume.frames) {
    const pm = pixelModuleOf(f.instance);
    if (pm.samplesPerPixel !== 1) {
      throw new ImageReadError(
        f.instance.file,
        `colour images (SamplesPerPixel ${pm.samplesPerPixel}, ${pm.photometricInterpretation}) are not radiomics input; convert to grey first`,
      );
    }
  }
  // Corrupt Rows / Columns must fail as such, before a volume of their size is allocated.
  for (const instance of new Set(volume.frames.map((f) => f.instance))) checkFrameSize(instance);
  const type = rescaledType(volume.frames, options);
  let data: VoxelArray;
  try {
    data = allocateVoxels(type, perSlice * volume.frames.length);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ImageReadError(
      describeSeries(plan),
      `a ${columns} x ${rows} x ${volume.frames.length} ${type} volume is too large for this machine's memory`,
      { cause: error },
    );
  }
  await forEachDecodedFrame(volume.frames, (slice, frame, values) => {
    if (frame.tile) values = tileOf(values, frame.tile, rows, columns);
    if (values.length < perSlice) {
      throw new ImageReadError(
        frame.instance.file,
        `frame holds ${values.length} pixels, expected ${perSlice}`,
      );
    }
    const { slope, intercept } = scalingOf(frame, options);
    const base = slice * perSlice;
    if (slope === 1 && intercept === 0) {
      // DICOM pixels are transmitted row by row, left to right: exactly x fastest.
      (data as Float64Array).set(values as unknown as ArrayLike<number>, base);
    } else {
      for (let i = 0; i < perSlice; i++) data[base + i] = values[i]! * slope + intercept;
    }
  });
  return withData(planGrid(plan, index), data);
}
