/** radscore's Node edge: files, atomic output, reports, whole studies (not for the browser). */
export { writeFileAtomic } from "./atomic.js";
export { ExtractionPool } from "./extraction-pool.js";
export { readImageFile, writeImageFile } from "./files.js";
export { defaultThreads } from "./threads.js";
export { writeReportFolder } from "./report-files.js";
export { runStudyFromConfig } from "./study-runner.js";
