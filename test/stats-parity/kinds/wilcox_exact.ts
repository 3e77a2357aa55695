import type { KindHandler } from "../types.js";

/** Parity handler for golden files of kind 'wilcox_exact' (not written yet: every such file fails). */
const handler: KindHandler = () => {
  throw new Error("kind 'wilcox_exact' has no parity handler yet");
};
export default handler;
