/** Default worker-thread count (kept apart from the pool so that reading it loads no pool code). */
import { availableParallelism } from "node:os";

/** The machine's parallelism, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}
