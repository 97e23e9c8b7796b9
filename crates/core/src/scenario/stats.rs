//! Streaming statistics of a shortfall distribution: exact moments and a fixed-size
//! log-bucket sketch for quantiles, CVaR and tail attribution.
//!
//! # Why integers
//! Every sum is kept in fixed point (`i128`, 2⁻⁶⁴ of the importer's horizon consumption per
//! unit; per-band attributions in `i64` at 2⁻³²). Integer addition is associative, so merging
//! per-thread accumulators gives the same bits whatever the split of paths between threads:
//! this, and one random stream per path, is what makes a run reproducible for any thread
//! count. The rounding is at most 2⁻⁶⁵ (2⁻³³ for attributions) of consumption per path.
//!
//! # The sketch and its error
//! A path's shortfall `x ∈ [0, 1]` (a fraction of horizon consumption) is counted in one of:
//! an exact-zero bucket; an underflow bucket `(0, 10⁻⁶]`; or log buckets
//! `(x_min γ^(i−1), x_min γ^i]` with `γ = (1 + α)/(1 − α)`, `α = 0.005` (1 383 buckets in all,
//! after DDSketch, Masson et al. 2019). Each bucket keeps its count and the exact sum of its
//! values. A quantile is read as the mean of the values in the bucket holding its rank: it
//! lies in the same bucket as the true sample quantile, so the relative error is at most
//! `γ − 1 ≈ 1.005 %` (absolute at most 10⁻⁶ below 10⁻⁶), and a distribution with atoms (full
//! stops of fixed suppliers) is read exactly. CVaR sums whole buckets above the VaR bucket
//! exactly and takes the needed part of the VaR bucket at its mean, with the same bound.
//! Memory per importer × mineral is fixed: 1 383 × 24 bytes plus the attribution bands.
//!
//! Tail attribution groups the buckets into bands of [`BAND_BUCKETS`] (relative width
//! `γ⁸ − 1 ≈ 8.3 %`); a country's CVaR contribution sums its share of the paths in the bands
//! above the VaR band and a pro-rata part of the VaR band, so contributions are exact except
//! in that one band.
//!
//! # References
//! - Masson, C., Rim, J. E. & Lee, H. K. (2019). DDSketch: a fast and fully-mergeable quantile
//!   sketch with relative-error guarantees. *PVLDB* 12(12).
//! - Rockafellar, R. T. & Uryasev, S. (2002). Conditional value-at-risk for general loss
//!   distributions. *Journal of Banking & Finance* 26(7).
//! - Wichura, M. J. (1988). Algorithm AS 241: the percentage points of the normal
//!   distribution. *Applied Statistics* 37(3).

use serde::{Deserialize, Serialize};

/// Relative accuracy parameter `α` of the sketch's buckets.
pub const SKETCH_ALPHA: f64 = 0.005;
/// Values at or below this (but above zero) share one underflow bucket.
pub const SKETCH_MIN_VALUE: f64 = 1e-6;
/// Log buckets per attribution band.
pub const BAND_BUCKETS: usize = 8;

const FIXED: f64 = 18_446_744_073_709_551_616.0; // 2^64
const FIXED_ATTR: f64 = 4_294_967_296.0; // 2^32

#[inline]
fn to_fixed(x: f64) -> i128 {
    (x * FIXED).round() as i128
}

#[inline]
fn from_fixed(v: i128) -> f64 {
    v as f64 / FIXED
}

/// The bucket layout shared by every sketch of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    inv_ln_gamma: f64,
    buckets: usize,
}

impl Layout {
    pub(crate) fn new() -> Self {
        let gamma = (1.0 + SKETCH_ALPHA) / (1.0 - SKETCH_ALPHA);
        let ln_gamma = gamma.ln();
        let buckets = ((1.0 / SKETCH_MIN_VALUE).ln() / ln_gamma).ceil() as usize + 1;
        Layout {
            inv_ln_gamma: 1.0 / ln_gamma,
            buckets,
        }
    }

    pub(crate) fn bands(&self) -> usize {
        self.buckets.div_ceil(BAND_BUCKETS)
    }

    /// The bucket of `x > 0`.
    #[inline]
    fn bucket(&self, x: f64) -> usize {
        if x <= SKETCH_MIN_VALUE {
            0
        } else {
            let i = ((x / SKETCH_MIN_VALUE).ln() * self.inv_ln_gamma).ceil();
            (i as usize).clamp(1, self.buckets - 1)
        }
    }
}

/// The relative error bound of the sketch's quantiles, `γ − 1`.
pub fn sketch_relative_error() -> f64 {
    (1.0 + SKETCH_ALPHA) / (1.0 - SKETCH_ALPHA) - 1.0
}

/// Streaming accumulator of one importer × mineral's shortfall fractions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShortfallAccumulator {
    n: u64,
    zeros: u64,
    above: u64,
    sum: i128,
    sum_sq: i128,
    counts: Vec<u64>,
    sums: Vec<i128>,
    /// `bands × countries` attributed shortfall, fixed point 2⁻³².
    attr: Vec<i64>,
    countries: usize,
}

impl ShortfallAccumulator {
    pub(crate) fn new(layout: &Layout, countries: usize) -> Self {
        ShortfallAccumulator {
            n: 0,
            zeros: 0,
            above: 0,
            sum: 0,
            sum_sq: 0,
            counts: vec![0; layout.buckets],
            sums: vec![0; layout.buckets],
            attr: vec![0; layout.bands() * countries],
            countries,
        }
    }

    /// Counts a path without shortfall.
    #[inline]
    pub(crate) fn push_zero(&mut self) {
        self.push_zeros(1);
    }

    /// Counts `k` paths without shortfall.
    #[inline]
    pub(crate) fn push_zeros(&mut self, k: u64) {
        self.n += k;
        self.zeros += k;
    }

    /// Counts a path with shortfall fraction `x` (clamped to `[0, 1]`), `threshold` for the
    /// exceedance count, and the share of `x` attributed to each country (`weights`, by
    /// country index, any scale; all zero means unattributed).
    pub(crate) fn push(
        &mut self,
        layout: &Layout,
        x: f64,
        threshold: f64,
        weights: &[(usize, f64)],
    ) {
        let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
        if x <= 0.0 {
            self.push_zero();
            return;
        }
        self.n += 1;
        if x > threshold {
            self.above += 1;
        }
        let q = to_fixed(x);
        self.sum += q;
        self.sum_sq += to_fixed(x * x);
        let b = layout.bucket(x);
        self.counts[b] += 1;
        self.sums[b] += q;
        let total: f64 = weights.iter().map(|w| w.1).sum();
        if total > 0.0 {
            let band = b / BAND_BUCKETS;
            for &(c, w) in weights {
                let v = (x * w / total * FIXED_ATTR).round() as i64;
                self.attr[band * self.countries + c] += v;
            }
        }
    }

    /// Adds another accumulator of the same layout (associative and commutative).
    pub(crate) fn merge(&mut self, other: &ShortfallAccumulator) {
        self.n += other.n;
        self.zeros += other.zeros;
        self.above += other.above;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a += b;
        }
        for (a, b) in self.attr.iter_mut().zip(&other.attr) {
            *a += b;
        }
    }

    /// The value at rank `k` (1-based, ascending), read from the sketch.
    fn value_at_rank(&self, k: u64) -> f64 {
        if k <= self.zeros {
            return 0.0;
        }
        let mut cum = self.zeros;
        for (b, &c) in self.counts.iter().enumerate() {
            cum += c;
            if c > 0 && cum >= k {
                return from_fixed(self.sums[b]) / c as f64;
            }
        }
        // Ranks beyond n: the largest value.
        self.counts
            .iter()
            .rposition(|&c| c > 0)
            .map_or(0.0, |b| from_fixed(self.sums[b]) / self.counts[b] as f64)
    }

    /// The quantile `q`, with a distribution-free ~95 % interval from the order statistics
    /// at ranks `nq ± 1.96 √(nq(1 − q))`.
    pub(crate) fn quantile(&self, q: f64) -> Quantile {
        if self.n == 0 {
            return Quantile::default();
        }
        let n = self.n as f64;
        let rank = |r: f64| (r.ceil().max(1.0) as u64).min(self.n);
        let half = 1.96 * (n * q * (1.0 - q)).sqrt();
        Quantile {
            value: self.value_at_rank(rank(n * q)),
            lower: self.value_at_rank(rank(n * q - half)),
            upper: self.value_at_rank(rank(n * q + half + 1.0)),
        }
    }

    /// Walks from the largest values down, taking `tail` paths: returns, per bucket, the
    /// number of paths taken (as a real, the boundary bucket partly).
    fn tail_take(&self, tail: f64) -> Vec<f64> {
        let mut take = vec![0.0; self.counts.len()];
        let mut left = tail;
        for b in (0..self.counts.len()).rev() {
            if left <= 0.0 {
                break;
            }
            let c = self.counts[b] as f64;
            let t = c.min(left);
            take[b] = t;
            left -= t;
        }
        take
    }

    /// CVaR at level `level` (mean of the worst `1 − level` of paths) and its approximate
    /// standard error (Rockafellar–Uryasev form, bucket means for the values).
    pub(crate) fn cvar(&self, level: f64) -> (f64, f64) {
        if self.n == 0 {
            return (0.0, 0.0);
        }
        let n = self.n as f64;
        let tail = (1.0 - level) * n;
        let take = self.tail_take(tail);
        let mut sum = 0.0;
        for (b, &t) in take.iter().enumerate() {
            if t > 0.0 {
                sum += from_fixed(self.sums[b]) * (t / self.counts[b] as f64);
            }
        }
        let cvar = sum / tail;
        // SE of VaR + E[(X − VaR)⁺]/(1 − level), with VaR the level-quantile.
        let var = self.quantile(level).value;
        let (mut e1, mut e2) = (0.0, 0.0);
        for (b, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                let mean = from_fixed(self.sums[b]) / c as f64;
                let d = (mean - var).max(0.0);
                e1 += c as f64 * d;
                e2 += c as f64 * d * d;
            }
        }
        let (e1, e2) = (e1 / n, e2 / n);
        let se = ((e2 - e1 * e1).max(0.0) / n).sqrt() / (1.0 - level);
        (cvar, se)
    }

    /// Each country's contribution to CVaR at `level` (same units as CVaR).
    pub(crate) fn cvar_contributions(&self, level: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.countries];
        if self.n == 0 || self.countries == 0 {
            return out;
        }
        let tail = (1.0 - level) * self.n as f64;
        let mut left = tail;
        let bands = self.attr.len() / self.countries;
        for band in (0..bands).rev() {
            if left <= 0.0 {
                break;
            }
            let lo = band * BAND_BUCKETS;
            let hi = ((band + 1) * BAND_BUCKETS).min(self.counts.len());
            let c: u64 = self.counts[lo..hi].iter().sum();
            if c == 0 {
                continue;
            }
            let t = (c as f64).min(left);
            left -= t;
            let part = t / c as f64;
            for (k, o) in out.iter_mut().enumerate() {
                *o += self.attr[band * self.countries + k] as f64 / FIXED_ATTR * part;
            }
        }
        for o in &mut out {
            *o /= tail;
        }
        out
    }

    /// Mean and its standard error.
    pub(crate) fn mean(&self) -> (f64, f64) {
        if self.n == 0 {
            return (0.0, 0.0);
        }
        let n = self.n as f64;
        let mean = from_fixed(self.sum) / n;
        let var = if self.n > 1 {
            ((from_fixed(self.sum_sq) - n * mean * mean) / (n - 1.0)).max(0.0)
        } else {
            0.0
        };
        (mean, (var / n).sqrt())
    }

    /// Paths counted.
    pub(crate) fn n(&self) -> u64 {
        self.n
    }

    /// Paths with a shortfall above the threshold.
    pub(crate) fn above(&self) -> u64 {
        self.above
    }

    /// Paths without shortfall.
    pub(crate) fn zeros(&self) -> u64 {
        self.zeros
    }
}

/// A quantile estimate with an approximate 95 % confidence interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    /// The estimate.
    pub value: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
}

/// The standard normal quantile function `Φ⁻¹(p)` (Wichura's AS 241, relative accuracy about
/// 10⁻¹⁶). Returns `−∞` for `p ≤ 0` and `+∞` for `p ≥ 1`.
// The coefficients are printed as AS 241 publishes them, beyond f64's precision.
#[allow(clippy::excessive_precision)]
pub(crate) fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r
            + 67265.770927008700853)
            * r
            + 45921.953931549871457)
            * r
            + 13731.693765509461125)
            * r
            + 1971.5909503065514427)
            * r
            + 133.14166789178437745)
            * r
            + 3.387132872796366608;
        let den = ((((((5226.495278852545925 * r + 28729.085735721942674) * r
            + 39307.89580009271061)
            * r
            + 21213.794301586595867)
            * r
            + 5394.1960214247511077)
            * r
            + 687.1870074920579083)
            * r
            + 42.313330701600911252)
            * r
            + 1.0;
        return q * num / den;
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let v = if r <= 5.0 {
        let r = r - 1.6;
        let num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r
            + 0.24178072517745061177)
            * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734;
        let den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
            + 0.0151986665636164571966)
            * r
            + 0.14810397642748007459)
            * r
            + 0.68976733498510000455)
            * r
            + 1.6763848301838038494)
            * r
            + 2.05319162663775882187)
            * r
            + 1.0;
        num / den
    } else {
        let r = r - 5.0;
        let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
            + 0.0012426609473880784386)
            * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772;
        let den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
            + 1.8463183175100546818e-5)
            * r
            + 7.868691311456132591e-4)
            * r
            + 0.0148753612908506148525)
            * r
            + 0.13692988092273580531)
            * r
            + 0.59983220655588793769)
            * r
            + 1.0;
        num / den
    };
    if q < 0.0 { -v } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_matches_tables() {
        // Reference values: R qnorm() (and Python statistics.NormalDist.inv_cdf for 1e-300).
        let cases = [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.1, -1.281_551_565_544_600_4),
            (0.95, 1.644_853_626_951_472_2),
            (1e-10, -6.361_340_902_404_056),
            (1e-300, -37.047_096_299_361_2),
        ];
        for (p, z) in cases {
            let got = normal_quantile(p);
            assert!(
                (got - z).abs() <= 1e-13 * z.abs().max(1.0),
                "{p}: {got} vs {z}"
            );
        }
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
    }

    #[test]
    fn sketch_reads_atoms_exactly_and_merges_associatively() {
        let l = Layout::new();
        assert_eq!(l.buckets, 1383);
        let mut a = ShortfallAccumulator::new(&l, 1);
        let mut b = ShortfallAccumulator::new(&l, 1);
        for i in 0..100 {
            let x = if i < 90 { 0.0 } else { 0.3 };
            a.push(&l, x, 0.1, &[(0, 1.0)]);
            b.push(&l, if i < 50 { 0.0 } else { 0.7 }, 0.1, &[(0, 1.0)]);
        }
        assert_eq!(a.quantile(0.5).value, 0.0);
        assert!((a.quantile(0.95).value - 0.3).abs() < 1e-15);
        let (cvar, _) = a.cvar(0.95);
        assert!((cvar - 0.3).abs() < 1e-15);
        assert!((a.cvar_contributions(0.95)[0] - 0.3).abs() < 1e-9);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.n(), 200);
        assert_eq!(ab.above(), 60);
    }

    #[test]
    fn sketch_quantiles_are_within_the_relative_error() {
        let l = Layout::new();
        let mut acc = ShortfallAccumulator::new(&l, 0);
        let n = 10_000;
        for i in 1..=n {
            acc.push(&l, f64::from(i) / f64::from(n), 2.0, &[]);
        }
        for q in [0.5, 0.95, 0.99] {
            let exact = q;
            let got = acc.quantile(q).value;
            assert!(
                (got - exact).abs() <= sketch_relative_error() * exact,
                "{q}: {got}"
            );
        }
        // CVaR95 of a uniform grid on (0, 1] is 0.975.
        let (cvar, se) = acc.cvar(0.95);
        assert!((cvar - 0.975).abs() <= 0.975 * sketch_relative_error());
        assert!(se > 0.0 && se < 0.01);
    }
}
