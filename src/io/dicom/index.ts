/**
 * DICOM in the browser-safe core: bytes in, volumes out (and SEG / MR series out). The Node edge
 * (radscore/node) adds folders on disk: readDicomFolder, readDicomVolume.
 */
export { adcMap, traceWeighted } from "./adc.js";
export {
  type DicomChoice,
  type DicomFolder,
  loadSelectedVolume,
  type MaskSelector,
  type MaskTarget,
  maskFromDicomObject,
  parseDicomFiles,
  seriesIn,
} from "./case.js";
export { configureCodecs } from "./codecs.js";
export { diffusionOf, vendorDiffusionElements } from "./diffusion.js";
export { encodePart10 } from "./encode.js";
export { type DicomDataset, type DicomInstance, isDicom, parseDicom } from "./parse.js";
export { decodeFrames } from "./pixels.js";
export { listRois, rasteriseRtstruct } from "./rtstruct.js";
export { isSegmentation, readSegmentation } from "./seg-read.js";
export { writeSegmentation } from "./seg-write.js";
export { chooseVolume, type SeriesSelector, selectSeries } from "./select.js";
export { describeSeries, type SeriesPlan, type SeriesScan, scanSeries } from "./series.js";
export { loadSeriesVolume, type VolumeLoadOptions } from "./series-volume.js";
export { writeMrSeries } from "./write-series.js";
