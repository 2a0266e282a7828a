// Seeded randomness for the simulator: the same seed plays the same day, so nothing in sim/ may use Math.random.

/** A stream of uniform numbers in [0, 1) plus the draws the simulator needs. */
export interface Rng {
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [a, b). */
  between(a: number, b: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with the given non-negative weights. */
  weightedIndex(weights: readonly number[]): number;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Exponential with the given mean (waiting times). */
  exponential(mean: number): number;
  /** Log-normal with the given median and shape σ (handling durations have a long right tail). */
  logNormal(median: number, sigma: number): number;
  poisson(lambda: number): number;
}

/** mulberry32: tiny, fast, good enough for simulation (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's finaliser: spreads every input bit over the output (sub-seeds of neighbouring indexes differ fully). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit sub-seed from a seed and a label (FNV-1a over the label, then mixed), e.g. hashSeed(7, '20261121:case'). */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ fmix32(seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A sub-seed for the n-th item under a base seed (cheaper than hashing a string per entity). */
export function subSeed(base: number, n: number): number {
  return fmix32((base ^ Math.imul(n + 1, 0x9e3779b9)) >>> 0);
}

/** Standard normal from two uniforms (Box–Muller). */
function gaussian(u: () => number): number {
  const u1 = 1 - u(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
}

export function createRng(seed: number): Rng {
  const u = mulberry32(seed);
  const rng: Rng = {
    next: u,
    int: (n) => Math.floor(u() * n),
    between: (a, b) => a + (b - a) * u(),
    chance: (p) => u() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(u() * items.length)] as T;
    },
    weightedIndex(weights) {
      let total = 0;
      for (const w of weights) total += w;
      let r = u() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1; // float rounding at the very end
    },
    weighted<T>(items: readonly (readonly [T, number])[]): T {
      const entry = items[rng.weightedIndex(items.map((i) => i[1]))];
      if (!entry) throw new Error('weighted pick from an empty list');
      return entry[0];
    },
    exponential: (mean) => -Math.log(1 - u()) * mean,
    logNormal: (median, sigma) => median * Math.exp(sigma * gaussian(u)),
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(u))); // normal approximation
      // Knuth: multiply uniforms until the product drops below e^-λ.
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = u();
      while (p > limit) {
        k++;
        p *= u();
      }
      return k;
    },
  };
  return rng;
}
