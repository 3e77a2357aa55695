import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'roc_curves' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'roc_curves' has no parity handler yet");
};
export default handler;
