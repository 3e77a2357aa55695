/** radscore's Node edge: files, atomic output, reports, whole studies (not for the browser). */
export { writeFileAtomic } from "./atomic.js";
export { readDicomFolder, readDicomVolume } from "./dicom-files.js";
export { ExtractionPool } from "./extraction-pool.js";
export { readImageFile, writeImageFile } from "./files.js";
export { readImageInput, readMaskInput } from "./image-inputs.js";
export { writeReportFolder } from "./report-files.js";
export { runStudyFromConfig } from "./study-runner.js";
export { defaultThreads } from "./threads.js";
