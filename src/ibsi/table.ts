/**
 * IBSI's long table of one case's features as CSV: `feature_tag,aggregation_code,value`, one row
 * per feature and aggregation, an empty value where the feature is undefined for the ROI. Here in
 * the pure core so that the CLI and the web app write the same bytes.
 */
import { formatCsv } from "../io/csv.js";
import type { IbsiFeatureValue } from "./types.js";

/** IBSI's long table: feature tag, aggregation code (empty for per-ROI families), value. */
export function ibsiFeaturesToCsv(features: readonly IbsiFeatureValue[]): string {
  return formatCsv(
    ["feature_tag", "aggregation_code", "value"],
    features.map((f) => [f.tag, f.aggregation, Number.isFinite(f.value) ? f.value : null]),
  );
}
