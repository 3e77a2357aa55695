import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'statsmodels_logit' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'statsmodels_logit' has no parity handler yet");
};
export default handler;
