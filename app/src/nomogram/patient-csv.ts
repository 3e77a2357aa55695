/**
 * The CSV of the entered patient and its scores (the columns of `radscore predict --out` for our
 * format), saved by the panel's "Download CSV".
 */
import { formatCsv } from "../../../src/io/csv.js";
import type { Calculator } from "./calculator.js";
import type { CalcResult } from "./score.js";

/**
 * One-row CSV of the entered patient and its scores (full precision): ID, the entered values
 * (level codes as entered), then for our format the columns of `radscore predict --out` (radscore,
 * points_*, total_points, p_clinical, p_radiomics, p_nomogram) plus the linear predictor and the
 * three classes; for a generic model points_* / total_points (when defined), linear_predictor and
 * p_<event>.
 */
export function patientCsv(
  calc: Calculator,
  id: string,
  values: Readonly<Record<string, number | string>>,
  result: CalcResult,
): string {
  const inputs = calc.fields.filter((f) => f.role !== "radscore");
  const header = ["ID", ...inputs.map((f) => f.name)];
  const row: (string | number | null)[] = [id, ...inputs.map((f) => values[f.name] ?? null)];
  if (calc.kind === "radscore" && result.score) {
    const s = result.score;
    const names = calc.model.nomogram.predictors.map((p) => p.name);
    header.push(
      "radscore",
      ...names.map((n) => `points_${n}`),
      "total_points",
      "p_clinical",
      "p_radiomics",
      "p_nomogram",
      "lp_nomogram",
      "class_clinical",
      "class_radiomics",
      "class_nomogram",
    );
    row.push(
      s.radScore,
      ...names.map((n) => s.nomogramPoints[n]!),
      s.totalPoints,
      s.clinicalProbability,
      s.radiomicsProbability,
      s.nomogramProbability,
      s.nomogramLinearPredictor,
      s.predicted.clinical,
      s.predicted.radiomics,
      s.predicted.nomogram,
    );
  } else {
    if (result.points) {
      header.push(...result.points.map((p) => `points_${p.name}`), "total_points");
      row.push(...result.points.map((p) => p.points), result.totalPoints);
    }
    header.push("linear_predictor", "p_event");
    row.push(result.linearPredictor, result.probability);
  }
  return formatCsv(header, [row]);
}
