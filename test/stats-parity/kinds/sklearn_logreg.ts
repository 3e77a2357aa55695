import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'sklearn_logreg' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'sklearn_logreg' has no parity handler yet");
};
export default handler;
