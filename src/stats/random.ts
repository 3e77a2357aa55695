/**
 * Seeded random numbers for folds and bootstrap resampling, reproducing R's default generator.
 *
 * Generator: Mersenne Twister MT19937 (Matsumoto & Nishimura 1998, ACM TOMACS 8(1):3-30), 32-bit
 * output tempered as in the reference code `mt19937ar.c`. Two ways to seed it:
 *  - the reference initialisations `init_genrand(s)` and `init_by_array(key)` (mt19937ar.c, 2002),
 *  - R's `set.seed(seed)` (R >= 3.6, `RNGkind("Mersenne-Twister", "Inversion", "Rejection")`, the
 *    default): R's RNG.c scrambles the integer seed with 50 steps of the LCG seed = 69069·seed + 1
 *    (mod 2^32), then fills the 625-word seed vector with 625 further LCG steps (word 0 is the
 *    position `mti`, which is then reset to 624, i.e. the next draw regenerates the block).
 *
 * R's `unif_rand()` is the tempered word times 2.3283064365386963e-10 (= 2^-32), nudged away from 0
 * and 1 (`fixup`). `R_unif_index(n)` (sample.kind "Rejection") draws `ceil(log2(n))` random bits
 * in 16-bit chunks (`floor(65536·unif_rand())` each) and rejects values >= n. `sample(n, replace =
 * TRUE)` returns `R_unif_index(n) + 1` for every draw; sampling without replacement swaps the drawn
 * element with the last remaining one (R's do_sample in src/main/random.c).
 *
 * With the same seed, `RRandom` therefore gives the same numbers as R 4.x: `set.seed(42);
 * runif(3)` is 0.914806..., 0.937075..., 0.286139... Pure TypeScript; runs in the browser.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
/** 2^-32, R's factor turning a 32-bit word into [0, 1). */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
/** 1 / (2^32 - 1), R's `i2_32m1` used by `fixup`. */
const I2_32M1 = 2.328306437080797e-10;

/** The MT19937 state and its 32-bit output (tempered words). */
export class MersenneTwister {
  readonly state = new Uint32Array(N);
  /** Position of the next word in `state`; N means "regenerate the block before the next draw". */
  index = N;

  /** A generator seeded with the reference `init_genrand(seed)` (default 5489, as in mt19937ar.c). */
  constructor(seed = 5489) {
    this.initGenrand(seed);
  }

  /** Reference initialisation `init_genrand(s)`: mt[i] = 1812433253·(mt[i−1] ^ (mt[i−1] >> 30)) + i. */
  initGenrand(seed: number): void {
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  /** Reference initialisation `init_by_array(key)` of mt19937ar.c (2002). */
  initByArray(key: ArrayLike<number>): void {
    if (key.length === 0) throw new Error("MersenneTwister.initByArray: the key is empty");
    this.initGenrand(19650218);
    const mt = this.state;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + (key[j]! >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  /** Next tempered 32-bit word (`genrand_int32`), as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const mt = this.state;
    if (this.index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M - N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/**
 * R's default random stream (Mersenne-Twister, Inversion, Rejection): `set.seed`, `runif`,
 * `R_unif_index` and `sample`. Construct with `new RRandom(seed)` = R's `set.seed(seed)`.
 */
export class RRandom {
  private readonly mt = new MersenneTwister(0);

  /** R's `set.seed(seed)`: `seed` must be an integer in the 32-bit range (R's asInteger). */
  constructor(seed: number) {
    this.setSeed(seed);
  }

  /** R's `set.seed(seed)` (RNG.c RNG_Init for MERSENNE_TWISTER, then FixupSeeds: mti = 624). */
  setSeed(seed: number): void {
    if (!Number.isInteger(seed) || seed < -2147483647 || seed > 2147483647) {
      throw new Error(`RRandom.setSeed: seed must be an integer in R's integer range, got ${seed}`);
    }
    let s = seed >>> 0;
    for (let j = 0; j < 50; j++) s = (Math.imul(69069, s) + 1) >>> 0;
    // i_seed[0] (mti) takes one LCG step, then the 624 words of the state.
    s = (Math.imul(69069, s) + 1) >>> 0;
    const state = this.mt.state;
    let allZero = true;
    for (let j = 0; j < N; j++) {
      s = (Math.imul(69069, s) + 1) >>> 0;
      state[j] = s;
      if (s !== 0) allZero = false;
    }
    if (allZero) throw new Error("RRandom.setSeed: degenerate all-zero Mersenne-Twister state");
    this.mt.index = N;
  }

  /** R's `unif_rand()`: a uniform double in (0, 1). */
  unifRand(): number {
    const value = this.mt.nextUint32() * TWO_POW_MINUS_32;
    if (value <= 0) return 0.5 * I2_32M1;
    if (1 - value <= 0) return 1 - 0.5 * I2_32M1;
    return value;
  }

  /** R's `runif(n)` on (0, 1). */
  runif(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.unifRand();
    return out;
  }

  /** `bits` random bits from 16-bit chunks of `unif_rand()` (R's `rbits`). */
  private randomBits(bits: number): number {
    let v = 0;
    for (let k = 0; k <= bits; k += 16) {
      const chunk = Math.floor(this.unifRand() * 65536);
      v = 65536 * v + chunk;
    }
    // v < 2^48: exact in a double; keep the low `bits` bits.
    return v % 2 ** bits;
  }

  /** R's `R_unif_index(dn)` with sample.kind "Rejection": a uniform integer in [0, dn). */
  unifIndex(dn: number): number {
    if (dn <= 0) return 0;
    const bits = Math.ceil(Math.log2(dn));
    let dv: number;
    do {
      dv = this.randomBits(bits);
    } while (dn <= dv);
    return dv;
  }

  /**
   * R's `sample(n, size, replace = TRUE)` (= `sample.int`): `size` 1-based indices in 1..n.
   */
  sampleWithReplacement(n: number, size = n): Int32Array {
    checkPopulation(n, size, true);
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.unifIndex(n) + 1;
    return out;
  }

  /**
   * R's `sample(n, size)` without replacement (n <= 1e7; R switches to a hash algorithm
   * (`sample2`) only when n > 1e7 and size <= n/2): 1-based indices.
   */
  sampleWithoutReplacement(n: number, size = n): Int32Array {
    checkPopulation(n, size, false);
    if (n > 1e7 && size <= n / 2) {
      throw new Error(`RRandom.sampleWithoutReplacement: n = ${n} > 1e7 is not supported`);
    }
    const out = new Int32Array(size);
    if (size < 2) {
      for (let i = 0; i < size; i++) out[i] = this.unifIndex(n) + 1;
      return out;
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    let remaining = n;
    for (let i = 0; i < size; i++) {
      const j = this.unifIndex(remaining);
      out[i] = pool[j]! + 1;
      pool[j] = pool[--remaining]!;
    }
    return out;
  }
}

function checkPopulation(n: number, size: number, replace: boolean): void {
  if (!Number.isInteger(n) || n < 0 || n > 2147483647) {
    throw new Error(`sample: population size must be a non-negative integer, got ${n}`);
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new Error(`sample: size must be a non-negative integer, got ${size}`);
  }
  if (size > 0 && n === 0) throw new Error("sample: cannot sample from an empty population");
  if (!replace && size > n) {
    throw new Error(`sample: size ${size} exceeds the population ${n} without replacement`);
  }
}
