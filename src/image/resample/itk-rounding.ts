/**
 * ITK's rounding (itkMathDetail, SSE2 path): Floor(x) = rint(2x - 0.5) >> 1,
 * Round(x) = RoundHalfIntegerUp(x) = rint(2x + 0.5) >> 1, rint = round half to even.
 */

function rintEven(t: number): number {
  const r = Math.round(t);
  return r - t === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** itk::Math::Floor (SSE2 implementation). */
export function itkFloor(x: number): number {
  return Math.floor(rintEven(2 * x - 0.5) / 2) + 0;
}

/** itk::Math::Round = RoundHalfIntegerUp (SSE2 implementation). */
export function itkRound(x: number): number {
  return Math.floor(rintEven(2 * x + 0.5) / 2) + 0;
}
