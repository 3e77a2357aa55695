/**
 * `radscore combat FEATURES.csv --batch COLUMN -o OUT.csv`: ComBat harmonisation of a feature table
 * across centres / scanners / protocols (Johnson et al. 2007, as R's sva::ComBat; src/stats/combat).
 * Writes the same table, same columns and rows, with the feature columns harmonised (every other
 * cell unchanged). `--save-model` keeps the frozen estimates; `--model` applies saved estimates to
 * new samples instead of fitting (e.g. a new patient of a centre seen in the fit).
 */
import { readFile } from "node:fs/promises";
import { type CsvTable, formatCsv } from "../io/csv.js";
import { buildDesignMatrix, type ColumnCoding, designTerms } from "../model/design.js";
import {
  applyCombat,
  type CombatCovariates,
  type CombatModel,
  fitCombat,
  parseCombatModel,
} from "../stats/combat/index.js";
import { writeFileAtomic } from "../node/atomic.js";
import { columnIndex, MISSING_CELLS, names, numericColumn, readTable } from "./stats-input.js";

export interface CombatCommandOptions {
  batch: string;
  covariates?: string;
  reference?: string;
  nonparametric?: boolean;
  meanOnly?: boolean;
  features?: string;
  leaveConstant?: boolean;
  saveModel?: string;
  model?: string;
  output: string;
}

/** PyRadiomics feature classes: the default feature columns are those naming one. */
const FEATURE_CLASS = /(^|_)(shape|shape2D|firstorder|glcm|glrlm|glszm|gldm|ngtdm)_/;

/**
 * Feature columns: each comma-separated item is a column name, or a prefix (`rad*`, or a text no
 * column is named but some start with). Default: the PyRadiomics feature columns.
 */
export function selectFeatureColumns(
  header: readonly string[],
  spec: string | undefined,
  exclude: readonly string[],
  source: string,
): string[] {
  const candidates = header.filter((h) => !exclude.includes(h));
  if (spec === undefined) {
    const found = candidates.filter((h) => FEATURE_CLASS.test(h) && !h.startsWith("diagnostics_"));
    if (found.length === 0)
      throw new Error(
        `${source}: no PyRadiomics feature columns found; name the features with --features (columns or a prefix such as rad*)`,
      );
    return found;
  }
  const out: string[] = [];
  for (const item of names(spec, "--features")) {
    const prefix = item.endsWith("*") ? item.slice(0, -1) : header.includes(item) ? null : item;
    const matched = prefix === null ? [item] : candidates.filter((h) => h.startsWith(prefix));
    if (matched.length === 0) throw new Error(`${source}: --features '${item}' matches no column`);
    for (const m of matched) {
      if (exclude.includes(m))
        throw new Error(`${source}: '${m}' is the batch or a covariate, not a feature`);
      if (!out.includes(m)) out.push(m);
    }
  }
  return out;
}

/**
 * Covariate design: a column whose cells are all numbers enters as a number, any other as a factor
 * (levels sorted, the first the reference, as R's `factor` and `model.matrix` do).
 */
function covariateDesign(
  table: CsvTable,
  columns: readonly string[],
  source: string,
): CombatCovariates {
  const coding: Record<string, ColumnCoding> = {};
  for (const c of columns) {
    const j = columnIndex(table, c, source);
    const cells = table.rows.map((r) => r[j]!.trim());
    cells.forEach((cell, i) => {
      if (MISSING_CELLS.includes(cell))
        throw new Error(`${source}: covariate '${c}', row ${i + 2}: missing value`);
    });
    const numeric = cells.every((t) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t));
    coding[c] = numeric
      ? { type: "numeric" }
      : { type: "factor", levels: [...new Set(cells)].sort() };
  }
  const trimmed = { header: table.header, rows: table.rows.map((r) => r.map((c) => c.trim())) };
  const design = buildDesignMatrix(trimmed, designTerms(columns, coding, false), coding, {
    source,
  });
  return { terms: design.terms, values: design.X };
}

export async function runCombatCommand(
  path: string,
  opts: CombatCommandOptions,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  if (!opts.output) throw new Error("-o OUT.csv is required");
  const table = await readTable(path);
  const batchJ = columnIndex(table, opts.batch, path);
  const batch = table.rows.map((r, i) => {
    const cell = r[batchJ]!.trim();
    if (MISSING_CELLS.includes(cell))
      throw new Error(`${path}: batch '${opts.batch}', row ${i + 2}: missing value`);
    return cell;
  });
  const covariateColumns = opts.covariates ? names(opts.covariates, "--covariates") : [];
  const covariates =
    covariateColumns.length > 0 ? covariateDesign(table, covariateColumns, path) : null;
  const rows = table.rows.map((_, i) => i);

  let model: CombatModel;
  let adjusted: Float64Array[];
  let summary: string;
  if (opts.model) {
    if (opts.reference || opts.nonparametric || opts.meanOnly || opts.saveModel)
      throw new Error(
        "--model applies saved estimates: --reference, --nonparametric, --mean-only and --save-model belong to the fit",
      );
    model = parseCombatModel(JSON.parse(await readFile(opts.model, "utf8")));
    const features = opts.features
      ? selectFeatureColumns(table.header, opts.features, [opts.batch, ...covariateColumns], path)
      : model.features;
    const columns = features.map((f) => numericColumn(table, f, rows, path));
    adjusted = applyCombat(model, {
      data: rows.map((k) => Float64Array.from(columns, (c) => c[k]!)),
      batch,
      features,
      covariates,
    });
    summary = `applied the ComBat model ${opts.model} (${model.features.length} features, batches ${model.batchLevels.join(", ")})`;
  } else {
    const features = selectFeatureColumns(
      table.header,
      opts.features,
      [opts.batch, ...covariateColumns],
      path,
    );
    const columns = features.map((f) => numericColumn(table, f, rows, path));
    const fit = fitCombat(
      {
        data: rows.map((k) => Float64Array.from(columns, (c) => c[k]!)),
        batch,
        features,
        covariates,
      },
      {
        parametric: !opts.nonparametric,
        meanOnly: opts.meanOnly ?? false,
        referenceBatch: opts.reference ?? null,
        constantFeatures: opts.leaveConstant ? "leave-unadjusted" : "error",
      },
    );
    model = fit.model;
    adjusted = fit.adjusted;
    const e = fit.estimates;
    const method = `${model.method.parametric ? "parametric" : "non-parametric"}${model.method.meanOnly ? ", mean only" : ""}`;
    const perBatch = model.batchLevels
      .map((l, b) => {
        const it = e.iterations[b];
        const role = l === model.referenceBatch ? ", reference (unchanged)" : "";
        return `${l} (n = ${e.samplesPerBatch[b]}${role}${it === null ? "" : `, ${it} it.sol iterations`})`;
      })
      .join("; ");
    summary = `ComBat (${method}) of ${features.length} features over ${batch.length} samples; batches: ${perBatch}${covariates ? `; covariates preserved: ${covariates.terms.join(", ")}` : ""}`;
    if (fit.unadjusted.length > 0)
      summary += `\nleft unadjusted (constant inside a batch): ${[...new Set(fit.unadjusted.map((u) => `${u.feature} (batch ${u.batch})`))].join(", ")}`;
    if (opts.saveModel) {
      await writeFileAtomic(opts.saveModel, `${JSON.stringify(model)}\n`);
      summary += `\nmodel written to ${opts.saveModel}`;
    }
  }

  const columnOf = new Map(model.features.map((f) => [f, columnIndex(table, f, path)]));
  const out = table.rows.map((r, k) => {
    const cells: (string | number)[] = [...r];
    model.features.forEach((f, g) => {
      cells[columnOf.get(f)!] = adjusted[k]![g]!;
    });
    return cells;
  });
  await writeFileAtomic(opts.output, formatCsv(table.header, out));
  print(`${summary}\nharmonised table written to ${opts.output}\n`);
  return 0;
}
