// The statistics the experiment scripts share: the median, a 95% bootstrap
// interval of the median (10,000 resamples with a fixed seed, so a table is
// the same on every run), and the two-sided sign test.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// mulberry32: small, seeded, the same everywhere.
const rng = (seed) => () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const bootstrapMedian = (d, reps = 10000) => {
  const next = rng(12345), meds = [];
  for (let r = 0; r < reps; ++r) meds.push(median(d.map(() => d[Math.floor(next() * d.length)])));
  meds.sort((a, b) => a - b);
  return [meds[Math.floor(0.025 * reps)], meds[Math.floor(0.975 * reps)]];
};

// P(X <= k) for X ~ Binomial(n, 1/2), and the two-sided sign test (ties dropped).
const binomCdf = (k, n) => {
  let p = 0, c = 1;
  for (let i = 0; i <= k; ++i) { p += c; c = (c * (n - i)) / (i + 1); }
  return p / 2 ** n;
};
export const signTest = (lower, higher) => {
  const n = lower + higher;
  return n === 0 ? 1 : Math.min(1, 2 * binomCdf(Math.min(lower, higher), n));
};
