/**
 * LASSO figures as glmnet draws them: the coefficient path against log(λ) (`plot.glmnet(xvar =
 * "lambda")`) with the chosen λ marked, and the cross-validation curve (`plot.cv.glmnet`): mean CV
 * error ± its standard error at each λ, dotted lines at λ.min and λ.1se, and the number of non-zero
 * coefficients along the top (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1)).
 */
import type { TopLevelSpec } from "vega-lite";
import type { LassoFigure } from "../../study/result.js";
import { figureConfig, frameLayer, REFERENCE_GREY, TEXT_COLOR, vegaLiteToSvg } from "../svg.js";

/** y-axis titles of cv.glmnet's type.measure values. */
const MEASURE_TITLES: Record<string, string> = {
  deviance: "Binomial deviance",
  auc: "AUC",
  class: "Misclassification error",
  mse: "Mean-squared error",
  mae: "Mean absolute error",
};

export function measureTitle(measure: string): string {
  return MEASURE_TITLES[measure] ?? measure;
}

const PATH_PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];

function checkLasso(lasso: LassoFigure): void {
  const n = lasso.logLambda.length;
  if (n < 2) throw new Error("LASSO figure: logLambda needs at least 2 values");
  for (const p of lasso.paths)
    if (p.coefficients.length !== n)
      throw new Error(
        `LASSO figure: path of '${p.feature}' has ${p.coefficients.length} values, logLambda ${n}`,
      );
  if (lasso.cvMean.length !== n || lasso.cvSd.length !== n)
    throw new Error(`LASSO figure: cvMean/cvSd must have ${n} values (one per lambda)`);
  if (!(lasso.lambdaMin > 0) || !(lasso.lambda1se > 0))
    throw new Error(
      `LASSO figure: lambdaMin (${lasso.lambdaMin}) and lambda1se (${lasso.lambda1se}) must be > 0`,
    );
}

/**
 * What both LASSO figures share, as glmnet's plots: the size, and the title naming the top axis of
 * non-zero coefficient counts.
 */
function lassoFrame() {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    title: {
      text: "Number of non-zero coefficients",
      fontSize: 11,
      fontWeight: "normal",
      offset: 22,
    },
    width: 400,
    height: 300,
  } as const;
}

/** Number of non-zero coefficients at each λ of the path (glmnet's df). */
export function nonzeroCounts(lasso: LassoFigure): number[] {
  return lasso.logLambda.map((_, j) => lasso.paths.filter((p) => p.coefficients[j] !== 0).length);
}

/** About `count` evenly spaced path indices for the df labels along the top. */
function topLabelIndices(n: number, count = 8): number[] {
  const out = new Set<number>();
  for (let k = 0; k < count; k++) out.add(Math.round((k * (n - 1)) / (count - 1)));
  return [...out];
}

function xEncoding(lasso: LassoFigure) {
  const lo = Math.min(...lasso.logLambda);
  const hi = Math.max(...lasso.logLambda);
  return {
    field: "x",
    type: "quantitative" as const,
    title: "log(λ)",
    scale: { domain: [lo, hi], nice: false, zero: false },
    axis: { grid: true, tickCount: 6 },
  };
}

function dfLayer(lasso: LassoFigure) {
  const df = nonzeroCounts(lasso);
  const values = topLabelIndices(lasso.logLambda.length).map((j) => ({
    x: lasso.logLambda[j]!,
    df: String(df[j]!),
  }));
  return {
    data: { values },
    mark: {
      type: "text" as const,
      baseline: "bottom" as const,
      dy: -5,
      fontSize: 10.5,
      color: "#555555",
    },
    encoding: {
      x: { field: "x", type: "quantitative" as const },
      y: { value: 0 },
      text: { field: "df", type: "nominal" as const },
    },
  };
}

/** Dotted vertical lines at the given log(λ), labelled at the top (stacked so they never overlap). */
function lambdaRuleLayer(lines: { x: number; label: string }[]) {
  const labels = lines.map((l, k) => ({ ...l, ypx: 4 + 15 * k }));
  return [
    {
      data: { values: lines },
      mark: { type: "rule" as const, strokeDash: [2, 3], color: TEXT_COLOR, strokeWidth: 1.2 },
      encoding: { x: { field: "x", type: "quantitative" as const } },
    },
    {
      data: { values: labels },
      mark: {
        type: "text" as const,
        align: "left" as const,
        baseline: "top" as const,
        dx: 3,
        fontSize: 10.5,
        color: TEXT_COLOR,
      },
      encoding: {
        x: { field: "x", type: "quantitative" as const },
        y: { field: "ypx", type: "quantitative" as const, scale: null },
        text: { field: "label", type: "nominal" as const },
      },
    },
  ];
}

export function lassoCvSpec(lasso: LassoFigure): TopLevelSpec {
  checkLasso(lasso);
  const values = lasso.logLambda.map((x, j) => ({
    x,
    mean: lasso.cvMean[j]!,
    lo: lasso.cvMean[j]! - lasso.cvSd[j]!,
    hi: lasso.cvMean[j]! + lasso.cvSd[j]!,
  }));
  const rules = [
    { x: Math.log(lasso.lambdaMin), label: "λ.min" },
    { x: Math.log(lasso.lambda1se), label: "λ.1se" },
  ];
  return {
    ...lassoFrame(),
    layer: [
      {
        data: { values },
        mark: { type: "rule", color: "#a6a6a6", strokeWidth: 1.2 },
        encoding: {
          x: xEncoding(lasso),
          y: {
            field: "lo",
            type: "quantitative",
            title: measureTitle(lasso.measure),
            scale: { zero: false, nice: true },
            axis: { grid: true, tickCount: 6 },
          },
          y2: { field: "hi" },
        },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, color: "#d62728", size: 26, opacity: 1 },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "mean", type: "quantitative" },
        },
      },
      ...lambdaRuleLayer(rules),
      dfLayer(lasso),
      frameLayer(),
    ],
  };
}

export function lassoPathSpec(lasso: LassoFigure): TopLevelSpec {
  checkLasso(lasso);
  const values: { x: number; y: number; feature: string }[] = [];
  for (const p of lasso.paths)
    for (let j = 0; j < lasso.logLambda.length; j++)
      values.push({ x: lasso.logLambda[j]!, y: p.coefficients[j]!, feature: p.feature });
  const chosen = lasso.chosen === "lambda.min" ? lasso.lambdaMin : lasso.lambda1se;
  return {
    ...lassoFrame(),
    layer: [
      {
        data: { values: [{ y: 0 }] },
        mark: { type: "rule", color: REFERENCE_GREY, strokeWidth: 1 },
        encoding: { y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "line", strokeWidth: 1.3, clip: true },
        encoding: {
          x: xEncoding(lasso),
          y: {
            field: "y",
            type: "quantitative",
            title: "Coefficients",
            axis: { grid: true, tickCount: 6 },
          },
          color: {
            field: "feature",
            type: "nominal",
            scale: { range: PATH_PALETTE },
            legend: null,
          },
          order: { field: "x", type: "quantitative" },
        },
      },
      ...lambdaRuleLayer([{ x: Math.log(chosen), label: lasso.chosen.replace("lambda", "λ") }]),
      dfLayer(lasso),
      frameLayer(),
    ],
  };
}

export async function renderLassoCvSvg(lasso: LassoFigure): Promise<string> {
  return vegaLiteToSvg(lassoCvSpec(lasso), "lasso-cv");
}

export async function renderLassoPathSvg(lasso: LassoFigure): Promise<string> {
  return vegaLiteToSvg(lassoPathSpec(lasso), "lasso-path");
}
