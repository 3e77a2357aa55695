/**
 * The parts of the DICOM codec packages radscore uses (they ship no type declarations). The
 * @cornerstonejs packages are Emscripten builds: each `decodewasmjs` export is a CommonJS module
 * whose default export instantiates the WebAssembly module; the classes are embind bindings whose
 * instances hold WebAssembly memory and must be freed with delete().
 */
declare module "@cornerstonejs/codec-charls/decodewasmjs" {
  interface EmscriptenOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    locateFile?: (path: string, scriptDirectory: string) => string;
  }
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  class JpegLSDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    /** A copy of the decoded samples (little-endian, 2 bytes per sample when P > 8). */
    getDecodedBuffer(): Uint8ClampedArray;
    getFrameInfo(): FrameInfo;
    /** 0 planar (component by component), 1 line, 2 sample interleaved. */
    getInterleaveMode(): number;
    getNearLossless(): number;
    delete(): void;
  }
  interface CharlsModule {
    JpegLSDecoder: typeof JpegLSDecoder;
    /** Message of a C++ exception thrown by the decoder (caught in JavaScript as its pointer). */
    getExceptionMessage?: (exception: number) => string | string[];
  }
  const factory: (options?: EmscriptenOptions) => Promise<CharlsModule>;
  export default factory;
}

declare module "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs" {
  interface EmscriptenOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    locateFile?: (path: string, scriptDirectory: string) => string;
  }
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  class JPEGDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    /** A view of WebAssembly memory: 1 byte per sample, grey or RGB interleaved. */
    getDecodedBuffer(): Uint8Array;
    getFrameInfo(): FrameInfo;
    delete(): void;
  }
  interface LibJpegTurboModule {
    JPEGDecoder: typeof JPEGDecoder;
  }
  const factory: (options?: EmscriptenOptions) => Promise<LibJpegTurboModule>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  interface EmscriptenOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
    locateFile?: (path: string, scriptDirectory: string) => string;
  }
  interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  class J2KDecoder {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    /** A copy of the decoded samples: 1 byte per sample when precision <= 8, else 2 (little-endian). */
    getDecodedBuffer(): Uint8ClampedArray;
    getFrameInfo(): FrameInfo;
    getImageOffset(): { x: number; y: number };
    getIsReversible(): boolean;
    delete(): void;
  }
  interface OpenJpegModule {
    J2KDecoder: typeof J2KDecoder;
  }
  const factory: (options?: EmscriptenOptions) => Promise<OpenJpegModule>;
  export default factory;
}

declare module "jpeg-lossless-decoder-js" {
  /** JPEG lossless (ITU-T T.81 process 14, Huffman) decoder, pure JavaScript. */
  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    /** Decodes `length` bytes at `offset`; numBytes 1 gives a Uint8Array, 2 a Uint16Array. */
    decode(
      buffer: ArrayBuffer,
      offset?: number,
      length?: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array;
    xDim: number;
    yDim: number;
    numComp: number;
    precision: number | undefined;
    xLoc: number;
    yLoc: number;
    /** The input stream after decode(): index past the end means the decoder read beyond the data. */
    stream: { index: number; buffer: Uint8Array } | null;
  }
}

// Encoders of the full builds: used only by the tests, to make small compressed fixtures.
declare module "@cornerstonejs/codec-charls/wasmjs" {
  interface EncoderFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  class JpegLSEncoder {
    /** Sizes and returns (a view of) the buffer to copy the samples to encode into. */
    getDecodedBuffer(frameInfo: EncoderFrameInfo): Uint8Array;
    setNearLossless(near: number): void;
    /** 0 planar (component by component), 1 line, 2 sample interleaved. */
    setInterleaveMode(mode: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8ClampedArray;
    delete(): void;
  }
  const factory: (options?: {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }) => Promise<{ JpegLSEncoder: typeof JpegLSEncoder }>;
  export default factory;
}

declare module "@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs" {
  class JPEGEncoder {
    getDecodedBuffer(frameInfo: {
      width: number;
      height: number;
      bitsPerSample: number;
      componentCount: number;
      isSigned: boolean;
    }): Uint8Array;
    setProgressive(progressive: number): void;
    setQuality(quality: number): void;
    /** TurboJPEG TJSAMP_* (0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0); colour only. */
    setSubSampling(subsampling: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8ClampedArray;
    delete(): void;
  }
  const factory: (options?: {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }) => Promise<{ JPEGEncoder: typeof JPEGEncoder }>;
  export default factory;
}

declare module "@cornerstonejs/codec-openjpeg/wasmjs" {
  class J2KEncoder {
    getDecodedBuffer(frameInfo: {
      width: number;
      height: number;
      bitsPerSample: number;
      componentCount: number;
      isSigned: boolean;
      isUsingColorTransform: boolean;
    }): Uint8Array;
    setQuality(lossless: boolean, quality: number): void;
    setDecompositions(count: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8ClampedArray;
    delete(): void;
  }
  const factory: (options?: {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }) => Promise<{ J2KEncoder: typeof J2KEncoder }>;
  export default factory;
}
