/**
 * Step 1b of the study pipeline (optional, `preprocessing.combat`): ComBat harmonisation across
 * centres (Johnson, Li & Rabinovic 2007; R sva::ComBat, src/stats/combat) of the features the
 * filters kept. The batch is each patient's centre; the fit uses every patient's features and no
 * outcome (sva's usual use: harmonising a pooled multi-centre table). With the default reference,
 * the training centre, the training patients' features are left exactly as extracted and every
 * other centre is mapped onto them, so the training-fitted steps see the same data as without
 * ComBat and the frozen model harmonises a new patient of a fitted centre the same way.
 *
 * The run's `features` become the harmonised table; `rawFeatures` keep the extracted one, which the
 * frozen model scores (harmonising first, with its stored ComBat model).
 */
import { type CombatModel, fitCombat } from "../../stats/combat/index.js";
import { firstTwoPrincipalComponents } from "../../stats/pca.js";
import type { HarmonisationSummary } from "../result.js";
import type { StudyRun } from "./context.js";
import type { FilteredFeatures } from "./preprocessing.js";

export interface HarmonisationStep {
  /** The fitted model over every kept feature (the frozen model keeps the Rad-score's). */
  model: CombatModel;
  summary: HarmonisationSummary;
}

/** 1b. ComBat across centres, when enabled; replaces `run.features` with the harmonised table. */
export function harmonisationStep(
  run: StudyRun,
  filtered: FilteredFeatures,
): HarmonisationStep | null {
  const settings = run.config.preprocessing.combat;
  if (!settings.enabled) return null;
  const { patients, rawFeatures, train, warnings } = run;
  const batch = patients.map((p) => {
    if (p.centre === null || p.centre === "")
      throw new Error(
        `preprocessing.combat: patient '${p.id}' has no centre (cohort.centre column), ComBat's batch`,
      );
    return p.centre;
  });
  const levels = [...new Set(batch)].sort();
  if (levels.length < 2)
    throw new Error(
      `preprocessing.combat: every patient is from centre '${levels[0]}': there is nothing to harmonise; disable it`,
    );
  let reference: string | null;
  if (settings.reference === "none") reference = null;
  else if (settings.reference === "training") {
    const trainingCentres = [...new Set(train.map((i) => batch[i]!))].sort();
    if (trainingCentres.length !== 1)
      throw new Error(
        `preprocessing.combat.reference: the training patients come from ${trainingCentres.length} centres (${trainingCentres.join(", ")}); name the reference centre or use none`,
      );
    reference = trainingCentres[0]!;
  } else {
    if (!levels.includes(settings.reference))
      throw new Error(
        `preprocessing.combat.reference: '${settings.reference}' is not a centre of the cohort (${levels.join(", ")}), 'training' or 'none'`,
      );
    reference = settings.reference;
  }
  const { names, colIndex } = filtered;
  const data = patients.map((_, i) =>
    Float64Array.from(colIndex, (j) => rawFeatures.columns[j]![i]!),
  );
  let fit: ReturnType<typeof fitCombat>;
  try {
    fit = fitCombat(
      { data, batch, features: names },
      {
        parametric: settings.parametric,
        meanOnly: settings.meanOnly,
        referenceBatch: reference,
        batchLevels: levels,
        constantFeatures: "leave-unadjusted",
      },
    );
  } catch (e) {
    throw new Error(`preprocessing.combat: ${(e as Error).message}`);
  }
  if (fit.unadjusted.length > 0)
    warnings.push(
      `ComBat left ${fit.unadjusted.length} feature(s) unadjusted (constant inside a centre), e.g. ${fit.unadjusted
        .slice(0, 3)
        .map((u) => u.feature)
        .join(", ")}`,
    );
  const columns = [...rawFeatures.columns];
  colIndex.forEach((j, k) => {
    columns[j] = Float64Array.from(patients, (_, i) => fit.adjusted[i]![k]!);
  });
  run.features = { ...rawFeatures, columns };
  run.combat = fit.model;
  const ids = patients.map((p) => p.id);
  return {
    model: fit.model,
    summary: {
      method: settings.parametric
        ? settings.meanOnly
          ? "parametric, mean only"
          : "parametric"
        : settings.meanOnly
          ? "non-parametric, mean only"
          : "non-parametric",
      reference,
      centres: levels.map((centre) => ({
        centre,
        patients: batch.filter((b) => b === centre).length,
      })),
      features: names.length,
      unadjusted: fit.unadjusted.map((u) => u.feature),
      ...principalComponents(
        colIndex.map((j) => rawFeatures.columns[j]!),
        colIndex.map((j) => columns[j]!),
        ids,
        batch,
      ),
    },
  };
}

/** The report's before / after figure: PC1 and PC2 of each table (none with < 2 features). */
function principalComponents(
  before: Float64Array[],
  after: Float64Array[],
  ids: string[],
  centres: string[],
): Pick<HarmonisationSummary, "pca"> {
  let pcs: ReturnType<typeof firstTwoPrincipalComponents>[];
  try {
    pcs = [firstTwoPrincipalComponents(before), firstTwoPrincipalComponents(after)];
  } catch {
    return {};
  }
  const points = (k: number) =>
    ids.map((id, i) => ({
      id,
      centre: centres[i]!,
      pc1: pcs[k]!.scores[0][i]!,
      pc2: pcs[k]!.scores[1][i]!,
    }));
  return {
    pca: {
      before: points(0),
      after: points(1),
      explained: { before: pcs[0]!.explained, after: pcs[1]!.explained },
    },
  };
}
