/**
 * The dedicated worker's global scope, typed without the WebWorker lib (which cannot share a
 * program with the DOM lib the page's code uses).
 */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

export const workerScope = self as unknown as WorkerScope;
