/**
 * The data of the drawn nomogram (axes with their ticks at their points, the total-points and
 * probability axes, the patient's markers); draw.ts turns it into SVG. A generic model gets rms'
 * axes from the core's nomogram() (src/model/nomogram.ts); our format the study's figure when
 * attached, else axes from the frozen rms constants (points = sc·(Xβ − R[1, j]), probability
 * ticks at sc·(qlogis(p) − Intercept_info)).
 */
import { rPretty } from "../../../src/model/nomogram.js";
import type { Calculator } from "./calculator.js";
import { MAXSCALE, NINT } from "./generic-model.js";
import type { CalcResult } from "./score.js";
import { fmt } from "./values.js";

export interface DrawingAxis {
  name: string;
  /** Tick labels at their points. */
  ticks: { label: string; points: number }[];
  /** The patient's points on this axis. */
  marker: number | null;
  /** A footnote (e.g. the axis spans the points scale because the range is unknown). */
  note: string | null;
}

export interface NomogramDrawing {
  axes: DrawingAxis[];
  /** Total-points tick values. */
  totalTicks: number[];
  totalMarker: number | null;
  /** Probability ticks at their total points. */
  probabilityTicks: { p: number; points: number }[];
  probabilityMarker: number | null;
  probabilityLabel: string;
}

/** Probability ticks of our models' drawing (the frozen model keeps no fun.at). */
const PROBABILITY_TICKS = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/**
 * What to draw: rms' axes for a generic model (core nomogram(): pretty axis values, total-points
 * axis, probability ticks at qlogis(p)); for our format the study's figure when attached
 * (withStudyFigure), else axes from the frozen constants: factor levels at their points, a
 * continuous axis from its rms start (0 points) to the patient's value, since model.json keeps no
 * training range. Null when the points scale is undefined.
 */
export function nomogramDrawing(
  calc: Calculator,
  result: CalcResult | null,
): NomogramDrawing | null {
  const markerOf = (name: string) => result?.points?.find((p) => p.name === name)?.points ?? null;
  const probabilityLabel = `Probability of ${calc.outcome.eventLabel}`;
  if (calc.kind === "generic") {
    if (!calc.rms) return null;
    const n = calc.rms.nomogram;
    const axes = n.predictors.map((a, j) => ({
      name: calc.fields[j]?.label ?? a.name,
      ticks: (a.values as (number | string)[]).map((v, k) => ({
        label: typeof v === "number" ? fmt(v, 10) : v,
        points: a.points[k]!,
      })),
      marker: markerOf(a.name),
      note: null,
    }));
    return {
      axes,
      totalTicks: Array.from(n.totalPointsAxis),
      totalMarker: result?.totalPoints ?? null,
      probabilityTicks: Array.from(n.probabilityAxis.probability, (p, k) => ({
        p,
        points: n.probabilityAxis.pointsExact[k]!,
      })),
      probabilityMarker: result?.totalPoints ?? null,
      probabilityLabel,
    };
  }
  const m = calc.model;
  const axisName = (name: string) =>
    name === m.radscoreName
      ? "Rad-score"
      : (calc.fields.find((f) => f.name === name)?.label ?? name);
  if (calc.figure) {
    const fig = calc.figure;
    return {
      axes: fig.axes.map((a) => ({
        name: axisName(a.name),
        ticks: a.labels.map((label, k) => ({ label, points: a.points[k]! })),
        marker: markerOf(a.name),
        note: null,
      })),
      totalTicks: [...fig.totalPoints.values],
      totalMarker: result?.totalPoints ?? null,
      probabilityTicks: fig.probability.values.map((p, k) => ({
        p,
        points: fig.probability.points[k]!,
      })),
      probabilityMarker: result?.totalPoints ?? null,
      probabilityLabel,
    };
  }
  const { minXbeta, sc, interceptInfo } = calc.nomogram;
  const axes: DrawingAxis[] = m.nomogram.predictors.map((p, j) => {
    const field = calc.fields.find((f) => f.name === p.name);
    const name = axisName(p.name);
    const pointsOf = (xbeta: number) => (xbeta - minXbeta[j]!) * sc;
    if (p.type === "factor") {
      const levels = p.levels ?? [];
      return {
        name,
        ticks: levels.map((l, k) => ({
          label: p.labels?.[k] ?? field?.labels[k] ?? l,
          points: pointsOf(p.coefficients![k]!),
        })),
        marker: markerOf(p.name),
        note: null,
      };
    }
    const b = p.coefficient!;
    const start = b === 0 ? 0 : minXbeta[j]! / b;
    // The patient's value, as entered (or the Rad-score scored).
    const entered =
      p.name === m.radscoreName ? result?.radScore : result?.points?.find((q) => q.name === p.name);
    const v = typeof entered === "number" ? entered : entered ? Number(entered.value) : Number.NaN;
    if (b === 0 || !Number.isFinite(v) || v === start)
      return {
        name,
        ticks: [{ label: fmt(start, 10), points: 0 }],
        marker: markerOf(p.name),
        note: b === 0 ? "no effect" : null,
      };
    // Round values between the axis start and the patient's value, and the start itself.
    const lo = Math.min(start, v);
    const hi = Math.max(start, v);
    const eps = 1e-9 * (hi - lo);
    const values = [
      start,
      ...Array.from(rPretty(lo, hi, 5)).filter(
        (x) => x >= lo - eps && x <= hi + eps && Math.abs(x - start) > eps,
      ),
    ].sort((x, y) => x - y);
    return {
      name,
      ticks: values.map((x) => ({ label: fmt(x, 10), points: pointsOf(x * b) })),
      marker: markerOf(p.name),
      note: "axis drawn from its start to the patient's value (model.json keeps no training range)",
    };
  });
  let maxTotal = result?.totalPoints ?? 0;
  for (const a of axes) maxTotal = Math.max(maxTotal, ...a.ticks.map((t) => t.points));
  const totalTicks = Array.from(rPretty(0, Math.max(maxTotal, MAXSCALE), NINT));
  const tHi = totalTicks[totalTicks.length - 1]!;
  const probabilityTicks = PROBABILITY_TICKS.map((p) => ({
    p,
    points: (Math.log(p / (1 - p)) - interceptInfo) * sc,
  })).filter((t) => t.points >= 0 && t.points <= tHi);
  return {
    axes,
    totalTicks,
    totalMarker: result?.totalPoints ?? null,
    probabilityTicks,
    probabilityMarker: result?.totalPoints ?? null,
    probabilityLabel,
  };
}
