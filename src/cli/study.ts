/**
 * `radscore study <study.yaml> [--out DIR]`: run the whole study (extraction or feature table,
 * selection, models, evaluation, frozen model, report) and print the headline numbers.
 */
import { runStudyFromConfig } from "../node/study-runner.js";
import type { StudyResult } from "../study/result.js";

function f3(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : "NA";
}

/** The headline of a study result: AUCs with CIs, DeLong tests, selected features, timings. */
export function summarizeStudy(result: StudyResult): string {
  const lines: string[] = [];
  lines.push(`${result.title}`);
  for (const s of result.cohortSizes) lines.push(`  ${s.cohort}: n = ${s.n} (${s.nEvent} events)`);
  lines.push(`Rad-score features (${result.selectedFeatures.length}):`);
  for (const f of result.selectedFeatures)
    lines.push(`  ${f.feature}  ${f.coefficient.toPrecision(4)}`);
  lines.push("cohort    model      AUC    95% CI         sens   spec   acc");
  for (const r of result.table3) {
    lines.push(
      `${r.cohort.padEnd(9)} ${r.model.padEnd(10)} ${f3(r.auc)}  ${f3(r.aucLower)}-${f3(r.aucUpper)}  ${f3(r.sensitivity)}  ${f3(r.specificity)}  ${f3(r.accuracy)}`,
    );
  }
  lines.push("DeLong (paired):");
  for (const d of result.table4)
    lines.push(`  ${d.cohort} ${d.modelA} vs ${d.modelB}: Z ${f3(d.z)}, P ${f3(d.p)}`);
  lines.push(
    `timings: ${result.timings.map((t) => `${t.stage} ${t.seconds.toFixed(2)} s`).join(", ")}`,
  );
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  return `${lines.join("\n")}\n`;
}

export async function runStudyCommand(configPath: string, opts: { out?: string }): Promise<number> {
  const summary = await runStudyFromConfig(configPath, opts.out ? { out: opts.out } : {});
  process.stdout.write(summarizeStudy(summary.output.result));
  process.stdout.write(
    `written to ${summary.out}: ${summary.files.filter((f) => !f.startsWith("report/")).join(", ")}${summary.files.some((f) => f.startsWith("report/")) ? ", report/" : ""}\n`,
  );
  return 0;
}
