import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'lasso_glmnet' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'lasso_glmnet' has no parity handler yet");
};
export default handler;
