/**
 * Choosing a series and a volume the way the CLI and study.yaml name them:
 * - series: SeriesInstanceUID or SeriesNumber (optional when the folder holds one image series);
 *   a series with several stacks is chosen as `NUMBER:STACK` or `UID:STACK`.
 * - volume: `volume` is 0-based in the series' volume order (dcm2niix's); `phase` is 1-based
 *   (the study's "DCE phase 2" is `phase: 2`); `bvalue` picks the volume with that b-value or, when
 *   several share it, the scanner's trace image if exported, else the trace-weighted image made
 *   here (geometric mean over the directions).
 */
import { ImageReadError } from "../image-error.js";
import { describeSeries, type SeriesPlan, type SeriesScan } from "./series.js";

export interface SeriesSelector {
  series?: string;
  volume?: number;
  phase?: number;
  bvalue?: number;
}

/** One volume by index, or the volumes whose geometric mean is the trace-weighted image. */
export type VolumeChoice =
  | { index: number }
  | { traceOf: number[]; bvalue: number }
  | { all: true };

function summary(plans: SeriesPlan[]): string {
  return plans
    .map(
      (p) =>
        `${describeSeries(p)}: ${p.columns} x ${p.rows} x ${p.slices}, ${p.volumes.length} volume(s)`,
    )
    .join("; ");
}

/** The image series `selector.series` names (see the module comment), or the only one. */
export function selectSeries(scan: SeriesScan, where: string, series?: string): SeriesPlan {
  if (series === undefined || series === "") {
    if (scan.images.length === 1) return scan.images[0]!;
    if (scan.images.length === 0) {
      const problem = scan.problems[0];
      if (problem && scan.problems.length === 1) throw problem.error;
      const reasons = scan.problems.map((p) => p.error.message).join("; ");
      throw new ImageReadError(
        where,
        `no readable image series found${reasons ? ` (${reasons})` : ""}`,
      );
    }
    throw new ImageReadError(
      where,
      `holds ${scan.images.length} image series; choose one with its SeriesInstanceUID or SeriesNumber (${summary(scan.images)})`,
    );
  }
  const [id, stackText] = series.split(":");
  const stack = stackText === undefined ? undefined : Number(stackText);
  const matches = scan.images.filter(
    (p) =>
      (p.seriesInstanceUid === id || String(p.seriesNumber) === id) &&
      (stack === undefined || p.stack === stack),
  );
  if (matches.length === 1) return matches[0]!;
  const problem = scan.problems.find(
    (p) => p.seriesInstanceUid === id || String(p.seriesNumber) === id,
  );
  if (problem) throw problem.error;
  if (matches.length > 1) {
    throw new ImageReadError(
      where,
      `'${series}' names ${matches.length} stacks or series (${summary(matches)}); add :STACK (e.g. ${id}:1) or use the SeriesInstanceUID`,
    );
  }
  throw new ImageReadError(
    where,
    `no image series '${series}' (found: ${summary(scan.images) || "none"})`,
  );
}

/** The volume(s) a selector asks for; `{all: true}` for a multi-volume series without one. */
export function chooseVolume(plan: SeriesPlan, selector: SeriesSelector): VolumeChoice {
  const name = describeSeries(plan);
  const given = [selector.volume, selector.phase, selector.bvalue].filter((v) => v !== undefined);
  if (given.length > 1) throw new ImageReadError(name, "give only one of volume, phase and bvalue");
  const n = plan.volumes.length;
  if (selector.volume !== undefined) {
    const k = selector.volume;
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new ImageReadError(
        name,
        `volume ${k} does not exist (0-based; the series has ${n} volume(s): 0-${n - 1})`,
      );
    }
    return { index: k };
  }
  if (selector.phase !== undefined) {
    const k = selector.phase;
    if (plan.kind !== "phase" && !(n === 1 && k === 1)) {
      throw new ImageReadError(
        name,
        `is not a dynamic (multi-phase) series (its volumes differ by ${plan.splitBy}); use volume instead`,
      );
    }
    if (!Number.isInteger(k) || k < 1 || k > n) {
      throw new ImageReadError(
        name,
        `phase ${k} does not exist (1-based; the series has ${n} phase(s))`,
      );
    }
    return { index: k - 1 };
  }
  if (selector.bvalue !== undefined) {
    const b = selector.bvalue;
    const withB = plan.volumes.filter((v) => v.bvalue !== undefined);
    if (withB.length === 0) {
      throw new ImageReadError(
        name,
        "has no diffusion b-values (no public, GE, Siemens or Philips diffusion tags)",
      );
    }
    const match = plan.volumes.filter(
      (v) => v.bvalue !== undefined && Math.abs(v.bvalue - b) < 0.5,
    );
    if (match.length === 0) {
      const values = [...new Set(withB.map((v) => v.bvalue))].join(", ");
      throw new ImageReadError(name, `has no volume with b = ${b} s/mm² (b-values: ${values})`);
    }
    if (match.length === 1) return { index: match[0]!.index };
    // The scanner's own trace image when it exported one, else the geometric mean of directions.
    const trace = match.find((v) => v.isTrace);
    if (trace) return { index: trace.index };
    return { traceOf: match.map((v) => v.index), bvalue: b };
  }
  return n === 1 ? { index: 0 } : { all: true };
}
