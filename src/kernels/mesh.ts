/**
 * Binding of the shape mesh kernels (src/kernels/assembly/mesh.ts, where the method and its
 * sources are documented): PyRadiomics' marching-cubes surface area and volume, and its maximum
 * mesh diameters, for src/features/shape.ts. Input: a padded binary grid (x fastest, values 0/1,
 * zero on the border; src/features/mesh/roiCrop.ts), its size (x, y, z) and spacing (x, y, z, mm).
 */
import type { Vec3 } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

interface MeshExports extends KernelExports {
  marchingCubes(
    grid: number,
    nx: number,
    ny: number,
    nz: number,
    sx: number,
    sy: number,
    sz: number,
    out: number,
  ): void;
  meshDiametersScratchBytes(nx: number, ny: number, nz: number): number;
  meshDiameters(
    grid: number,
    nx: number,
    ny: number,
    nz: number,
    sx: number,
    sy: number,
    sz: number,
    scratch: number,
    out: number,
  ): void;
}

export interface MarchingCubesResult {
  /** Sum of triangle areas (mm^2). */
  surfaceArea: number;
  /** Sum of signed tetrahedron volumes / 6 (mm^3). */
  volume: number;
}

export interface MeshDiameters {
  /** Largest vertex distance among vertices sharing a z coordinate (Maximum2DDiameterSlice). */
  slice: number;
  /** ... sharing a y coordinate (Maximum2DDiameterColumn). */
  column: number;
  /** ... sharing an x coordinate (Maximum2DDiameterRow). */
  row: number;
  /** Largest distance between any two vertices (Maximum3DDiameter). */
  overall: number;
}

/** A frame holding a copy of `grid`, followed by what `reserve` lays out. */
function gridFrame(grid: Uint8Array, size: Vec3): { frame: KernelFrame<MeshExports>; at: number } {
  const [nx, ny, nz] = size;
  if (grid.length !== nx * ny * nz)
    throw new Error(`mesh kernels: grid has ${grid.length} voxels, size ${size.join("x")}`);
  const frame = new KernelFrame<MeshExports>();
  return { frame, at: frame.input(grid) };
}

/** Surface area and volume of PyRadiomics' marching-cubes mesh of the padded grid. */
export function marchingCubes(grid: Uint8Array, size: Vec3, spacing: Vec3): MarchingCubesResult {
  const { frame, at } = gridFrame(grid, size);
  const out = frame.reserve64(2);
  frame.commit();
  frame.wasm.marchingCubes(at, size[0], size[1], size[2], spacing[0], spacing[1], spacing[2], out);
  const [surfaceArea, volume] = frame.float64(out, 2);
  return { surfaceArea, volume };
}

/** PyRadiomics' maximum 3D and 2D diameters over the mesh vertices of the padded grid. */
export function meshDiameters(grid: Uint8Array, size: Vec3, spacing: Vec3): MeshDiameters {
  const { frame, at } = gridFrame(grid, size);
  const scratch = frame.reserveBytes(
    frame.wasm.meshDiametersScratchBytes(size[0], size[1], size[2]) >>> 0,
  );
  const out = frame.reserve64(4);
  frame.commit();
  frame.wasm.meshDiameters(
    at,
    size[0],
    size[1],
    size[2],
    spacing[0],
    spacing[1],
    spacing[2],
    scratch,
    out,
  );
  const [slice, column, row, overall] = frame.float64(out, 4);
  return { slice, column, row, overall };
}
