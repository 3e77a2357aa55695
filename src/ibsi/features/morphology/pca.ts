/**
 * Principal component analysis of the ROI voxel-centre point set X_c (IBSI-1 manual, "Major axis
 * length" TDIC and the features after it): the eigenvalues lambda_major >= lambda_minor >=
 * lambda_least of the covariance matrix of the physical voxel-centre coordinates of the
 * morphological mask. The manual leaves the covariance normalisation open; MIRP (the IBSI reference
 * implementation) uses numpy.cov, i.e. the sample covariance divided by N - 1, and the digital
 * phantom's consensus values need it (divided by N the minor and least axes miss the tolerance).
 */
import { symmetricEigenvalues } from "../../../features/mesh/principalAxes.js";
import type { Vec3 } from "../../../image/volume.js";

/** Eigenvalues of the voxel-centre covariance, largest first; NaN for fewer than 2 voxels. */
export function principalEigenvalues(mask: Uint8Array, size: Vec3, spacing: Vec3): Vec3 {
  const [nx, ny, nz] = size;
  let n = 0;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        n++;
        mx += x;
        my += y;
        mz += z;
      }
    }
  }
  if (n < 2) return [Number.NaN, Number.NaN, Number.NaN];
  mx /= n;
  my /= n;
  mz /= n;
  // Second pass on centred coordinates (index units), scaled to mm afterwards.
  const s = new Float64Array(6);
  for (let z = 0, i = 0; z < nz; z++) {
    const dz = z - mz;
    for (let y = 0; y < ny; y++) {
      const dy = y - my;
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        const dx = x - mx;
        s[0] += dx * dx;
        s[1] += dx * dy;
        s[2] += dx * dz;
        s[3] += dy * dy;
        s[4] += dy * dz;
        s[5] += dz * dz;
      }
    }
  }
  const [sx, sy, sz] = spacing;
  const k = 1 / (n - 1);
  const covariance = Float64Array.of(
    s[0] * sx * sx * k,
    s[1] * sx * sy * k,
    s[2] * sx * sz * k,
    s[1] * sx * sy * k,
    s[3] * sy * sy * k,
    s[4] * sy * sz * k,
    s[2] * sx * sz * k,
    s[4] * sy * sz * k,
    s[5] * sz * sz * k,
  );
  const eig = Array.from(symmetricEigenvalues(covariance, 3), (l) => Math.max(l, 0));
  eig.sort((p, q) => q - p);
  return [eig[0], eig[1], eig[2]];
}
