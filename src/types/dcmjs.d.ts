/** The part of dcmjs' API radscore uses (dcmjs ships no type declarations). */
declare module "dcmjs" {
  interface DicomElement {
    vr?: string;
    Value?: unknown[];
    InlineBinary?: string;
  }
  type DicomElementDict = Record<string, DicomElement>;
  interface ReadFileOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }
  interface WriteOptions {
    allowInvalidVRLength?: boolean;
    fragmentMultiframe?: boolean;
  }
  class DicomDict {
    constructor(meta: DicomElementDict);
    meta: DicomElementDict;
    dict: DicomElementDict;
    write(options?: WriteOptions): ArrayBuffer;
  }
  const dcmjs: {
    log: { setLevel(level: string): void };
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: ReadFileOptions): DicomDict;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dict: DicomElementDict): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): DicomElementDict;
        uid(): string;
        nameMap: Record<string, { tag: string; vr: string; name: string }>;
      };
      DicomDict: typeof DicomDict;
    };
  };
  export default dcmjs;
}
