/**
 * Type guards for values read from JSON (a model file, a result.json), shared by the parsers and
 * checks of the calculator's model files (generic-model.ts, radscore-model.ts, calculator.ts).
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const isFiniteNumber = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v);
