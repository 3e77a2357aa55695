/**
 * DICOM instances to series, stacks and volumes (the plan; voxels are decoded by volume.ts).
 *
 * - Series: instances sharing SeriesInstanceUID. Non-image objects (SEG, RTSTRUCT, SR, ...) are
 *   listed separately.
 * - Stacks: inside a series, frames are grouped by in-plane geometry (orientation, rows, columns,
 *   pixel spacing); a series with more than one stack (e.g. a localiser with three orientations) is
 *   listed as one entry per stack.
 * - Slices: frames are sorted along the slice normal n = row x column direction by the distance
 *   d = n . ImagePositionPatient, ascending, which is what ITK's GDCM series reader does. The volume's
 *   geometry is ITK's (LPS): origin = position of the first slice, direction columns = row
 *   direction, column direction, n; spacing = [column spacing, row spacing, slice spacing] with the
 *   slice spacing measured from the positions (never SliceThickness; a one-slice series uses
 *   SpacingBetweenSlices, else SliceThickness, else 1). Slice gaps must agree within
 *   `sliceSpacingTolerance` (relative, default 1 %) of their mean; more is an error that names the
 *   slices (a missing slice, a non-uniform acquisition).
 * - Volumes: when every slice position holds V > 1 frames, the series holds V volumes. What tells
 *   them apart is detected in this order (the first attribute that differs between the frames of
 *   every position): diffusion (b-value, gradient direction) -> kind "bvalue"; TemporalPositionIndex,
 *   TemporalPositionIdentifier, TriggerTime -> "phase"; echo number / echo time -> "echo";
 *   AcquisitionNumber, acquisition (else content) time -> "phase"; otherwise the repeated positions
 *   are taken in InstanceNumber order -> "phase". Phases and echoes are ordered by that attribute;
 *   diffusion volumes in acquisition (InstanceNumber) order, as dcm2niix writes them, with
 *   scanner-made trace images (Philips isotropic, GE non-DTI) after the others.
 */
import type { Mat3, Vec3, Volume } from "../../image/volume.js";
import { ImageReadError } from "../image-error.js";
import { diffusionOf } from "./diffusion.js";
import { cross, type DicomFrame, dot, framesOf } from "./frames.js";
import { type DicomInstance, numberOf, stringOf } from "./parse.js";

export type VolumeKind = "phase" | "bvalue" | "echo" | "none";

export interface SeriesVolume {
  /** 0-based position in the series' volume order. */
  index: number;
  /** Frames of this volume, one per slice, sorted along the slice normal. */
  frames: DicomFrame[];
  /** 1-based phase number (kind "phase"). */
  phase?: number;
  bvalue?: number;
  bvector?: Vec3;
  /** A scanner-made trace-weighted (isotropic) diffusion image, not one gradient direction. */
  isTrace?: boolean;
  echoTime?: number;
}

export interface SeriesPlan {
  seriesInstanceUid: string;
  seriesNumber?: number;
  seriesDescription?: string;
  modality?: string;
  manufacturer?: string;
  /** 1-based stack number and the number of stacks of this series (1 for most series). */
  stack: number;
  stackCount: number;
  rows: number;
  columns: number;
  slices: number;
  /** [x (between columns), y (between rows), z (between slices)] in mm. */
  spacing: Vec3;
  origin: Vec3;
  direction: Mat3;
  kind: VolumeKind;
  /** The attribute that split the volumes ("none" for a single volume). */
  splitBy: string;
  volumes: SeriesVolume[];
  files: string[];
}

/**
 * The grid of volume `index` of a plan (its voxels not decoded): [columns, rows, slices], the
 * plan's spacing and direction, the volume's first slice as origin.
 */
export function planGrid(plan: SeriesPlan, index = 0): Omit<Volume, "data"> {
  const volume = plan.volumes[index] ?? plan.volumes[0]!;
  return {
    size: [plan.columns, plan.rows, volume.frames.length],
    spacing: [...plan.spacing],
    origin: [...volume.frames[0]!.position],
    direction: [...plan.direction],
    dimension: 3,
  };
}

/** A series found but not readable as volumes (its reason names the series and the slices). */
export interface SeriesProblem {
  seriesInstanceUid: string;
  seriesNumber?: number;
  seriesDescription?: string;
  modality?: string;
  manufacturer?: string;
  error: ImageReadError;
  files: string[];
}

/** A non-image object (SEG, RTSTRUCT, ...), listed by series. */
export interface NonImageSeries {
  seriesInstanceUid: string;
  seriesNumber?: number;
  seriesDescription?: string;
  modality?: string;
  manufacturer?: string;
  sopClassUid: string;
  instances: DicomInstance[];
}

export interface SeriesScan {
  images: SeriesPlan[];
  problems: SeriesProblem[];
  others: NonImageSeries[];
}

export interface PlanOptions {
  /** Largest relative deviation of a slice gap from the mean gap (default 0.01). */
  sliceSpacingTolerance?: number;
}

/** SOP classes whose instances carry no image to place in a volume. */
const NON_IMAGE_SOP_CLASSES: Record<string, string> = {
  "1.2.840.10008.5.1.4.1.1.66.4": "SEG",
  "1.2.840.10008.5.1.4.1.1.66.7": "SEG",
  "1.2.840.10008.5.1.4.1.1.481.3": "RTSTRUCT",
  "1.2.840.10008.5.1.4.1.1.88.11": "SR",
  "1.2.840.10008.5.1.4.1.1.88.22": "SR",
  "1.2.840.10008.5.1.4.1.1.88.33": "SR",
  "1.2.840.10008.5.1.4.1.1.88.34": "SR",
  "1.2.840.10008.5.1.4.1.1.11.1": "PR",
  "1.2.840.10008.1.3.10": "DICOMDIR",
};

/** `series 3 "DWI" (1.2.840...)`: how messages name a series. */
export function describeSeries(s: {
  seriesInstanceUid: string;
  seriesNumber?: number;
  seriesDescription?: string;
  stack?: number;
  stackCount?: number;
}): string {
  const parts = ["series"];
  if (s.seriesNumber !== undefined) parts.push(String(s.seriesNumber));
  if (s.seriesDescription) parts.push(JSON.stringify(s.seriesDescription));
  parts.push(`(${s.seriesInstanceUid})`);
  if (s.stackCount && s.stackCount > 1) parts.push(`stack ${s.stack} of ${s.stackCount}`);
  return parts.join(" ");
}

function seriesHeader(first: DicomInstance) {
  const ds = first.dataset;
  const header: Omit<NonImageSeries, "sopClassUid" | "instances"> = {
    seriesInstanceUid: stringOf(ds, "SeriesInstanceUID") ?? "(no SeriesInstanceUID)",
  };
  const number = numberOf(ds, "SeriesNumber");
  if (number !== undefined) header.seriesNumber = number;
  const description = stringOf(ds, "SeriesDescription");
  if (description !== undefined) header.seriesDescription = description;
  const modality = stringOf(ds, "Modality");
  if (modality !== undefined) header.modality = modality;
  const manufacturer = stringOf(ds, "Manufacturer");
  if (manufacturer !== undefined) header.manufacturer = manufacturer;
  return header;
}

/**
 * Groups parsed instances into series and plans each image series' volumes. Never throws for a
 * broken series: it is reported in `problems` with the reason, so one bad series does not hide
 * the others.
 */
export function scanSeries(instances: DicomInstance[], options: PlanOptions = {}): SeriesScan {
  const bySeries = new Map<string, DicomInstance[]>();
  for (const inst of instances) {
    const uid = stringOf(inst.dataset, "SeriesInstanceUID") ?? "(no SeriesInstanceUID)";
    const list = bySeries.get(uid);
    if (list) list.push(inst);
    else bySeries.set(uid, [inst]);
  }
  const scan: SeriesScan = { images: [], problems: [], others: [] };
  for (const list of bySeries.values()) {
    const header = seriesHeader(list[0]!);
    const nonImage = list.filter(
      (i) =>
        NON_IMAGE_SOP_CLASSES[i.sopClassUid] !== undefined ||
        numberOf(i.dataset, "Rows") === undefined,
    );
    if (nonImage.length > 0) {
      scan.others.push({ ...header, sopClassUid: nonImage[0]!.sopClassUid, instances: nonImage });
    }
    const images = list.filter((i) => !nonImage.includes(i));
    if (images.length === 0) continue;
    const files = images.map((i) => i.file);
    try {
      scan.images.push(...planImageSeries(header, images, options));
    } catch (error) {
      if (!(error instanceof ImageReadError)) throw error;
      scan.problems.push({ ...header, error, files });
    }
  }
  const byNumber = (
    a: { seriesNumber?: number; stack?: number },
    b: { seriesNumber?: number; stack?: number },
  ) =>
    (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) ||
    (a.stack ?? 0) - (b.stack ?? 0);
  scan.images.sort(byNumber);
  scan.problems.sort(byNumber);
  scan.others.sort(byNumber);
  return scan;
}

type Header = ReturnType<typeof seriesHeader>;

/** In-plane geometry key of a frame: frames of one stack share it. */
function planeKey(f: DicomFrame): string {
  const r = (x: number) => x.toFixed(4);
  return [
    ...f.rowDirection.map(r),
    ...f.columnDirection.map(r),
    f.rows,
    f.columns,
    f.pixelSpacing[0].toPrecision(6),
    f.pixelSpacing[1].toPrecision(6),
  ].join("|");
}

function planImageSeries(
  header: Header,
  images: DicomInstance[],
  options: PlanOptions,
): SeriesPlan[] {
  const frames: DicomFrame[] = [];
  for (const inst of images) frames.push(...framesOf(inst));
  const stacks = new Map<string, DicomFrame[]>();
  for (const f of frames) {
    const key = planeKey(f);
    const list = stacks.get(key);
    if (list) list.push(f);
    else stacks.set(key, [f]);
  }
  const stackList = [...stacks.values()];
  return stackList.map((stackFrames, s) =>
    planStack(header, stackFrames, s + 1, stackList.length, options),
  );
}

const describeFrame = (f: DicomFrame) =>
  (numberOf(f.instance.dataset, "NumberOfFrames") ?? 1) > 1
    ? `${f.instance.file} frame ${f.frameIndex + 1}`
    : f.instance.file;

function listFrames(frames: DicomFrame[], max = 4): string {
  const names = frames.slice(0, max).map(describeFrame);
  return frames.length > max
    ? `${names.join(", ")} and ${frames.length - max} more`
    : names.join(", ");
}

function planStack(
  header: Header,
  frames: DicomFrame[],
  stack: number,
  stackCount: number,
  options: PlanOptions,
): SeriesPlan {
  const name = describeSeries({ ...header, stack, stackCount });
  const first = frames[0]!;
  const normal = cross(first.rowDirection, first.columnDirection);
  // Positions along the normal, clustered: frames closer than 1 micrometre share a slice.
  const distance = new Map<DicomFrame, number>();
  for (const f of frames) distance.set(f, dot(normal, f.position));
  const sorted = [...frames].sort((a, b) => distance.get(a)! - distance.get(b)!);
  const positions: { d: number; frames: DicomFrame[] }[] = [];
  for (const f of sorted) {
    const d = distance.get(f)!;
    const last = positions[positions.length - 1];
    if (last && Math.abs(d - last.d) < 1e-3) last.frames.push(f);
    else positions.push({ d, frames: [f] });
  }
  checkStackedAlongNormal(name, positions, normal, first);

  const perPosition = positions[0]!.frames.length;
  const uneven = positions.find((p) => p.frames.length !== perPosition);
  if (uneven) {
    const few = positions.filter((p) => p.frames.length !== perPosition);
    throw new ImageReadError(
      name,
      `slice positions hold different numbers of frames (${perPosition} at d = ${positions[0]!.d.toFixed(3)} mm but ${uneven.frames.length} at d = ${uneven.d.toFixed(3)} mm: ${listFrames(few.flatMap((p) => p.frames))}); duplicate or missing slices`,
    );
  }
  const split = splitVolumes(name, positions, header.manufacturer);
  const spacingZ = sliceSpacing(name, positions, first, options.sliceSpacingTolerance ?? 0.01);
  const direction: Mat3 = [
    first.rowDirection[0],
    first.columnDirection[0],
    normal[0],
    first.rowDirection[1],
    first.columnDirection[1],
    normal[1],
    first.rowDirection[2],
    first.columnDirection[2],
    normal[2],
  ];
  const plan: SeriesPlan = {
    ...header,
    stack,
    stackCount,
    rows: first.rows,
    columns: first.columns,
    slices: positions.length,
    spacing: [first.pixelSpacing[1], first.pixelSpacing[0], spacingZ],
    origin: [...split.volumes[0]!.frames[0]!.position],
    direction,
    kind: split.kind,
    splitBy: split.splitBy,
    volumes: split.volumes,
    files: [...new Set(frames.map((f) => f.instance.file))],
  };
  return plan;
}

/** Every slice must lie on the line origin + t * normal (no gantry tilt, no in-plane shift). */
function checkStackedAlongNormal(
  name: string,
  positions: { d: number; frames: DicomFrame[] }[],
  normal: Vec3,
  first: DicomFrame,
): void {
  const p0 = positions[0]!.frames[0]!.position;
  const d0 = positions[0]!.d;
  const tolerance = 0.1 * Math.min(first.pixelSpacing[0], first.pixelSpacing[1]);
  for (const p of positions) {
    for (const f of p.frames) {
      const t = p.d - d0;
      const off = Math.hypot(
        f.position[0] - p0[0] - t * normal[0],
        f.position[1] - p0[1] - t * normal[1],
        f.position[2] - p0[2] - t * normal[2],
      );
      if (off > tolerance) {
        throw new ImageReadError(
          name,
          `slices are not stacked along the slice normal (${describeFrame(f)} is shifted ${off.toFixed(3)} mm in plane: gantry tilt or sheared acquisition, not supported)`,
        );
      }
    }
  }
}

function sliceSpacing(
  name: string,
  positions: { d: number; frames: DicomFrame[] }[],
  first: DicomFrame,
  tolerance: number,
): number {
  if (positions.length === 1) {
    const a = first.attributes;
    return numberOf(a, "SpacingBetweenSlices") ?? numberOf(a, "SliceThickness") ?? 1;
  }
  const gaps = positions.slice(1).map((p, i) => p.d - positions[i]!.d);
  const mean = (positions[positions.length - 1]!.d - positions[0]!.d) / gaps.length;
  // Each gap is compared with the median gap, so that the message points at the odd one out.
  const sortedGaps = [...gaps].sort((a, b) => a - b);
  const typical = sortedGaps[Math.floor(sortedGaps.length / 2)]!;
  gaps.forEach((gap, i) => {
    if (Math.abs(gap - typical) > tolerance * typical) {
      const a = positions[i]!.frames[0]!;
      const b = positions[i + 1]!.frames[0]!;
      throw new ImageReadError(
        name,
        `slice spacing is not uniform: ${gap.toFixed(4)} mm between ${describeFrame(a)} and ${describeFrame(b)} but ${typical.toFixed(4)} mm between most slices (a missing slice or a variable-spacing acquisition; tolerance ${(100 * tolerance).toFixed(1)} %)`,
      );
    }
  });
  return mean;
}

interface Split {
  kind: VolumeKind;
  splitBy: string;
  volumes: SeriesVolume[];
}

/** A candidate attribute telling the volumes apart, with the volume kind it implies. */
interface Discriminator {
  name: string;
  kind: VolumeKind;
  value: (f: DicomFrame) => number | string | undefined;
  /** Only the order of the values at each position identifies the volume (times per slice). */
  rankOnly?: boolean;
}

function diffusionKey(f: DicomFrame, manufacturer: string | undefined): string | undefined {
  const d = diffusionOf(f.attributes, manufacturer);
  if (!d) return undefined;
  const v = d.bvector ? d.bvector.map((x: number) => x.toFixed(4)).join(",") : "";
  return `${d.bvalue}|${v}`;
}

function splitVolumes(
  name: string,
  positions: { d: number; frames: DicomFrame[] }[],
  manufacturer: string | undefined,
): Split {
  const count = positions[0]!.frames.length;
  const byInstance = (a: DicomFrame, b: DicomFrame) =>
    (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) ||
    a.instance.file.localeCompare(b.instance.file) ||
    a.frameIndex - b.frameIndex;
  if (count === 1) {
    const frames = positions.map((p) => p.frames[0]!);
    return { kind: "none", splitBy: "none", volumes: [annotated(0, frames, "none", manufacturer)] };
  }
  // Diffusion: every frame has a b-value and the frames of a position differ in b-value or
  // direction. Volumes follow acquisition (InstanceNumber) order, repeats (several b = 0) allowed.
  const keys = new Map<DicomFrame, string | undefined>();
  for (const p of positions) for (const f of p.frames) keys.set(f, diffusionKey(f, manufacturer));
  const diffusion = positions.every(
    (p) =>
      p.frames.every((f) => keys.get(f) !== undefined) &&
      new Set(p.frames.map((f) => keys.get(f))).size > 1,
  );
  if (diffusion) {
    const ranked = positions.map((p) => [...p.frames].sort(byInstance));
    const volumes = Array.from({ length: count }, (_, v) => ranked.map((frames) => frames[v]!));
    volumes.forEach((frames, v) => {
      const distinct = new Set(frames.map((f) => keys.get(f)));
      if (distinct.size > 1) {
        throw new ImageReadError(
          name,
          `diffusion volume ${v} (InstanceNumber order) mixes b-values / directions across its slices (${listFrames(frames)}): slices of one volume must share them`,
        );
      }
    });
    // dcm2niix keeps scanner-made trace images out of the diffusion volumes (its separate ADC /
    // trace output) unless fewer than two volumes would remain: they go after the others here, so
    // volume K is dcm2niix's volume K.
    const annotatedVolumes = volumes.map((frames, index) =>
      annotated(index, frames, "bvalue", manufacturer),
    );
    const acquired = annotatedVolumes.filter((v) => !v.isTrace);
    const ordered =
      acquired.length >= 2
        ? [...acquired, ...annotatedVolumes.filter((v) => v.isTrace)]
        : annotatedVolumes;
    ordered.forEach((v, index) => {
      v.index = index;
    });
    return { kind: "bvalue", splitBy: "diffusion", volumes: ordered };
  }
  const candidates: Discriminator[] = [
    { name: "TemporalPositionIndex", kind: "phase", value: (f) => f.temporalPositionIndex },
    {
      name: "TemporalPositionIdentifier",
      kind: "phase",
      value: (f) => f.temporalPositionIdentifier,
    },
    { name: "TriggerTime", kind: "phase", value: (f) => f.triggerTime },
    { name: "EchoNumbers", kind: "echo", value: (f) => f.echoNumber },
    { name: "EchoTime", kind: "echo", value: (f) => f.echoTime },
    { name: "AcquisitionNumber", kind: "phase", value: (f) => f.acquisitionNumber },
    // Times differ from slice to slice inside a phase: only their order at each position counts.
    { name: "AcquisitionTime", kind: "phase", value: (f) => f.acquisitionTime, rankOnly: true },
  ];
  for (const c of candidates) {
    if (!separatesEveryPosition(positions, c)) continue;
    const ranked = positions.map((p) =>
      [...p.frames].sort((a, b) => compareValues(c.value(a)!, c.value(b)!) || byInstance(a, b)),
    );
    const volumes = Array.from({ length: count }, (_, v) => ranked.map((frames) => frames[v]!));
    if (!c.rankOnly && !consistentAcrossPositions(volumes, c)) continue;
    return {
      kind: c.kind,
      splitBy: c.name,
      volumes: volumes.map((frames, index) => annotated(index, frames, c.kind, manufacturer)),
    };
  }
  const ranked = positions.map((p) => [...p.frames].sort(byInstance));
  const volumes = Array.from({ length: count }, (_, index) =>
    annotated(
      index,
      ranked.map((frames) => frames[index]!),
      "phase",
      manufacturer,
    ),
  );
  return { kind: "phase", splitBy: "repeated positions (InstanceNumber order)", volumes };
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

/** Whether every position's frames all have the attribute and no two share a value. */
function separatesEveryPosition(positions: { frames: DicomFrame[] }[], c: Discriminator): boolean {
  for (const p of positions) {
    const values = new Set<number | string>();
    for (const f of p.frames) {
      const v = c.value(f);
      if (v === undefined) return false;
      values.add(v);
    }
    if (values.size !== p.frames.length) return false;
  }
  return true;
}

/** Whether every volume's frames share one value of the attribute. */
function consistentAcrossPositions(volumes: DicomFrame[][], c: Discriminator): boolean {
  return volumes.every((frames) => new Set(frames.map((f) => c.value(f))).size === 1);
}

function annotated(
  index: number,
  frames: DicomFrame[],
  kind: VolumeKind,
  manufacturer: string | undefined,
): SeriesVolume {
  const volume: SeriesVolume = { index, frames };
  const f = frames[0]!;
  if (kind === "phase") volume.phase = volume.index + 1;
  if (kind === "echo" && f.echoTime !== undefined) volume.echoTime = f.echoTime;
  const d = diffusionOf(f.attributes, manufacturer);
  if (d) {
    volume.bvalue = d.bvalue;
    if (d.bvector) volume.bvector = d.bvector;
    if (d.isTrace) volume.isTrace = true;
  }
  return volume;
}
