/**
 * `radscore predict --model model.json --cases cases.csv [--out scores.csv]`: score new patients
 * with a frozen study model. The cases table has an ID column (id or ID), the clinical variables
 * of the model and either the Rad-score's feature columns (table mode) or, per sequence of the
 * model, `<SEQ>_image` and `<SEQ>_mask` columns (image mode: features are extracted with the
 * model's own parameters). Prints and writes the Rad-score, nomogram points and probabilities.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { extractFeatures } from "../extract/extractor.js";
import { parseParams, validateParams } from "../extract/params.js";
import { FEATURE_CATALOGUE } from "../features/registry.js";
import { formatCsv, parseCsv } from "../io/csv.js";
import { writeFileAtomic } from "../node/atomic.js";
import { readImageFile, readTextFile } from "../node/files.js";
import { defaultFilters } from "../node/study-runner.js";
import {
  type PatientInput,
  type PatientScore,
  parseFrozenModel,
  scorePatients,
} from "../study/frozen-model.js";

/** CSV text of scored patients (full precision). */
export function scoresCsv(scores: PatientScore[], predictorNames: string[]): string {
  return formatCsv(
    [
      "ID",
      "radscore",
      ...predictorNames.map((n) => `points_${n}`),
      "total_points",
      "p_clinical",
      "p_radiomics",
      "p_nomogram",
      "class_nomogram",
    ],
    scores.map((s) => [
      s.id,
      s.radScore,
      ...predictorNames.map((n) => s.nomogramPoints[n]!),
      s.totalPoints,
      s.clinicalProbability,
      s.radiomicsProbability,
      s.nomogramProbability,
      s.predicted.nomogram,
    ]),
  );
}

export async function runPredictCommand(opts: {
  model: string;
  cases: string;
  out?: string;
}): Promise<number> {
  if (!opts.model) throw new Error("predict needs --model model.json");
  if (!opts.cases) throw new Error("predict needs --cases cases.csv");
  const model = parseFrozenModel(await readTextFile(opts.model, "model"), opts.model);
  const table = parseCsv(await readTextFile(opts.cases, "cases table"), opts.cases);
  const idCol = ["id", "ID", "Id", "patient"]
    .map((c) => table.header.indexOf(c))
    .find((j) => j >= 0);
  if (idCol === undefined)
    throw new Error(`${opts.cases}: no ID column (id or ID); columns: ${table.header.join(", ")}`);
  const needClinical = model.clinicalVariables.map((v) => v.name);
  for (const c of needClinical) {
    if (!table.header.includes(c))
      throw new Error(`${opts.cases}: no column '${c}' (a clinical predictor of the model)`);
  }
  // A model that harmonises with ComBat needs each patient's centre (the study's centre column).
  const centreCol = model.combat ? table.header.indexOf(model.combat.centreColumn) : -1;
  if (model.combat && centreCol < 0)
    throw new Error(
      `${opts.cases}: no column '${model.combat.centreColumn}': the model harmonises features across centres (ComBat; fitted centres ${model.combat.model.batchLevels.join(", ")}) and needs each patient's centre`,
    );
  const tableMode = model.features.every((f) => table.header.includes(f));
  const imageMode =
    !tableMode &&
    model.extraction !== null &&
    model.sequences.every(
      (s) => table.header.includes(`${s}_image`) && table.header.includes(`${s}_mask`),
    );
  if (!tableMode && !imageMode) {
    const lacking = model.features.filter((f) => !table.header.includes(f));
    throw new Error(
      `${opts.cases}: give the Rad-score features (missing e.g. ${lacking.slice(0, 3).join(", ")}) or, per sequence, <SEQ>_image and <SEQ>_mask columns (${model.sequences.join(", ")})`,
    );
  }
  const base = dirname(resolve(opts.cases));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const filters = imageMode ? await defaultFilters() : undefined;
  const rows: PatientInput[] = [];
  for (const r of table.rows) {
    const id = r[idCol]!;
    const clinical: Record<string, string> = {};
    for (const c of needClinical) clinical[c] = r[table.header.indexOf(c)]!;
    const features: Record<string, number> = {};
    if (tableMode) {
      for (const f of model.features) {
        const t = r[table.header.indexOf(f)]!;
        const v = Number(t);
        if (t.trim() === "" || !Number.isFinite(v))
          throw new Error(
            `${opts.cases}: patient '${id}': feature '${f}' = '${t}' is not a number`,
          );
        features[f] = v;
      }
    } else {
      for (const seq of model.sequences) {
        const ex = model.extraction![seq]!;
        const params = ex.paramsText
          ? parseParams(ex.paramsText, FEATURE_CATALOGUE, `model ${seq} parameters`)
          : validateParams(
              {
                featureClass: Object.fromEntries(
                  Object.keys(FEATURE_CATALOGUE)
                    .filter((c) => c !== "shape2D")
                    .map((c) => [c, null]),
                ),
              },
              FEATURE_CATALOGUE,
              "defaults",
            );
        const imagePath = abs(r[table.header.indexOf(`${seq}_image`)]!);
        const maskPath = abs(r[table.header.indexOf(`${seq}_mask`)]!);
        const [image, mask] = await Promise.all([
          readImageFile(imagePath),
          readImageFile(maskPath),
        ]);
        const res = extractFeatures(image, mask, params, {
          ...(ex.label !== null ? { label: ex.label } : {}),
          ...(filters ? { filters } : {}),
        });
        for (const [k, v] of Object.entries(res.features)) features[`${k}_${seq}`] = v;
      }
    }
    rows.push({ id, clinical, features, ...(centreCol >= 0 ? { centre: r[centreCol]! } : {}) });
  }
  const scores = scorePatients(model, rows);
  const names = model.nomogram.predictors.map((p) => p.name);
  const csv = scoresCsv(scores, names);
  if (opts.out) await writeFileAtomic(opts.out, csv);
  const lines = [
    `${"ID".padEnd(10)} ${"Rad-score".padStart(9)} ${"points".padStart(7)} ${"P(clin)".padStart(8)} ${"P(rad)".padStart(8)} ${"P(nomo)".padStart(8)}`,
    ...scores.map(
      (s) =>
        `${s.id.padEnd(10)} ${s.radScore.toFixed(3).padStart(9)} ${s.totalPoints.toFixed(1).padStart(7)} ${s.clinicalProbability.toFixed(3).padStart(8)} ${s.radiomicsProbability.toFixed(3).padStart(8)} ${s.nomogramProbability.toFixed(3).padStart(8)}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  if (opts.out) process.stdout.write(`scores written to ${opts.out}\n`);
  return 0;
}
