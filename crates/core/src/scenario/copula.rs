//! The copula draw of one country × mineral without a normal deviate in most cases.
//!
//! A pair is disrupted when its idiosyncratic normal `ε` falls below `a`, the copula
//! threshold given the country's common factor (see [`super::montecarlo`]). With `a` about
//! −2.6 for a typical pair, `ε < a` happens a few times in a hundred, so most of the work of
//! drawing `ε` by a sampler is wasted. Here `ε = Φ⁻¹(U)` with `U` uniform (from the 52 high
//! bits of one 64-bit draw), which is exactly standard normal, and the comparison is made on
//! `U`'s bits first. `Φ` is tabulated on a grid `a_j` of step 1/128 from −8 to 8, as integers
//! rounded up and down (by a relative 10⁻⁹, plus the bits `U` drops): for `a` in
//! `[a_j, a_{j+1})`, a draw at or above the upper bound of `Φ(a_{j+1})` has `Φ⁻¹(U) ≥ a`,
//! and one below the lower bound of `Φ(a_j)` has `Φ⁻¹(U) < a`. Only between the two (with
//! probability about `φ(a)/128`), or off the grid, is `Φ⁻¹(U)` computed and compared with
//! `a`. The outcome is the same as computing `Φ⁻¹(U)` every time (the bounds are checked
//! against [`normal_quantile`] in the tests).

use std::sync::OnceLock;

use crate::scenario::stats::normal_quantile;

/// Grid: `a_j = LO + j / SCALE`, `j = 0 … N`.
const LO: f64 = -8.0;
const SCALE: f64 = 128.0;
const N: usize = 16 * 128;

/// `2⁻⁵²`.
const UNIT: f64 = 1.0 / 4_503_599_627_370_496.0;

/// `2⁶⁴`.
const TWO64: f64 = 18_446_744_073_709_551_616.0;

/// Integer bounds of `Φ` on the grid, in units of `2⁻⁶⁴`.
#[derive(Debug)]
pub(crate) struct TailTable {
    /// `Φ(a_j)` rounded up (saturating).
    bounds: Vec<u64>,
    /// `(lower_j, bounds_{j+1})`, `lower_j` being `Φ(a_j)` rounded down: the two bounds of a
    /// cell `[a_j, a_{j+1})`, side by side for one cache line.
    cells: Vec<(u64, u64)>,
}

impl TailTable {
    /// The table, computed once per process.
    pub(crate) fn get() -> &'static TailTable {
        static TABLE: OnceLock<TailTable> = OnceLock::new();
        TABLE.get_or_init(TailTable::new)
    }

    fn new() -> Self {
        // Φ by cumulative 3-point Gauss–Legendre quadrature of φ on cells of 1/512, from −40
        // (where Φ < 10⁻³⁴⁹ is 0 in f64), summing the smallest terms first.
        const SUB: usize = 4;
        let h = 1.0 / (SCALE * SUB as f64);
        let (x0, w0) = (0.0, 8.0 / 9.0);
        let (x1, w1) = ((3.0f64 / 5.0).sqrt(), 5.0 / 9.0);
        let inv_sqrt_2pi = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
        let phi = |x: f64| inv_sqrt_2pi * (-0.5 * x * x).exp();
        let cell = |lo: f64| {
            let mid = lo + 0.5 * h;
            let half = 0.5 * h;
            half * (w0 * phi(mid + x0 * half) + w1 * (phi(mid - x1 * half) + phi(mid + x1 * half)))
        };
        let start = -40.0;
        let lead = ((LO - start) * SCALE) as usize * SUB;
        let mut cdf = 0.0;
        for i in 0..lead {
            cdf += cell(start + i as f64 * h);
        }
        let mut bounds = Vec::with_capacity(N + 1);
        let mut lower = Vec::with_capacity(N + 1);
        for j in 0..=N {
            if j > 0 {
                let lo = LO + (j - 1) as f64 / SCALE;
                for s in 0..SUB {
                    cdf += cell(lo + s as f64 * h);
                }
            }
            // Rounded up: a relative 10⁻⁹ for the quadrature and Φ⁻¹'s error, and 2¹² units
            // for the bits below the 52 that make `U`. `as` saturates at u64::MAX.
            let b = cdf.min(1.0) * (1.0 + 1e-9) * TWO64 + 4096.0;
            bounds.push(b as u64);
            // Rounded down by as much (`as` saturates at 0).
            lower.push((cdf * (1.0 - 1e-9) * TWO64 - 4096.0) as u64);
        }
        let cells = (0..N).map(|j| (lower[j], bounds[j + 1])).collect();
        TailTable { bounds, cells }
    }

    /// `B(a)`: every 64-bit draw `bits ≥ B(a)` has `Φ⁻¹(uniform(bits)) ≥ a`, unless `B(a)` is
    /// `u64::MAX` (no bound).
    #[inline]
    pub(crate) fn upper(&self, a: f64) -> u64 {
        // The grid point at `floor(x) + 1 > x` (no `ceil`: without SSE4.1 it is a call).
        let y = (a - LO) * SCALE + 1.0;
        if y < (N + 1) as f64 {
            // Truncation of y ≥ 0 is `floor`; below the grid (also a = −∞), Φ(a) ≤ Φ(LO).
            let i = if y > 0.0 { y as usize } else { 0 };
            self.bounds[i.min(N)]
        } else {
            // Above the grid, or NaN: always decide exactly.
            u64::MAX
        }
    }
}

/// The uniform in `(0, 1)` of a 64-bit draw: the midpoint of its 2⁻⁵² interval (52 bits, so
/// that the largest, `1 − 2⁻⁵³`, is below 1 in `f64`).
#[inline]
pub(crate) fn uniform(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * UNIT
}

/// Whether `ε = Φ⁻¹(uniform(bits))` is below `a`.
#[inline]
pub(crate) fn below(table: &TailTable, bits: u64, a: f64) -> bool {
    let x = (a - LO) * SCALE;
    // 0 ≤ x < N: a in the cell [a_j, a_{j+1}), j = floor(x) (truncation, no `floor` call).
    if x >= 0.0 && x < N as f64 {
        let (lo, hi) = table.cells[x as usize];
        if bits >= hi && hi != u64::MAX {
            return false;
        }
        if bits < lo {
            return true;
        }
    } else if x < 0.0 && bits >= table.bounds[0] {
        // Below the grid (also a = −∞): Φ(a) ≤ Φ(LO).
        return false;
    }
    // Between the bounds, above the grid or NaN: decide exactly.
    normal_quantile(uniform(bits)) < a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_valid_for_the_quantile_function() {
        let t = TailTable::get();
        for (j, &b) in t.bounds.iter().enumerate() {
            let a = LO + j as f64 / SCALE;
            if b == u64::MAX {
                continue;
            }
            // The smallest uniform of a draw at or above the bound.
            let u = uniform(b);
            assert!(normal_quantile(u) >= a, "j = {j}, a = {a}, u = {u}");
        }
        for (j, &(lo, _)) in t.cells.iter().enumerate() {
            let a = LO + j as f64 / SCALE;
            if lo == 0 {
                continue;
            }
            // The largest uniform of a draw below the lower bound.
            let u = uniform(lo - 1);
            assert!(normal_quantile(u) < a, "j = {j}, a = {a}, u = {u}");
        }
        // And tight: within 0.1 % + 2⁻⁵⁰ of Φ at the grid point.
        for (a, p) in [
            (-3.0, 1.349_898_031_630_094_5e-3),
            (-1.0, 0.158_655_253_931_457_05),
        ] {
            let j = ((a - LO) * SCALE) as usize;
            let b = t.bounds[j] as f64 / TWO64;
            assert!(b >= p && b < p * 1.001 + 1e-15, "{a}: {b} vs {p}");
            let l = t.cells[j].0 as f64 / TWO64;
            assert!(l <= p && l > p * 0.999 - 1e-15, "{a}: {l} vs {p}");
        }
        assert_eq!(t.upper(f64::NAN), u64::MAX);
        assert_eq!(t.upper(9.0), u64::MAX);
        assert_eq!(t.upper(f64::NEG_INFINITY), t.bounds[0]);
    }

    #[test]
    fn the_decision_equals_the_quantile_comparison() {
        let t = TailTable::get();
        let mut x = 0x1234_5678_9abc_def0u64;
        for i in 0..200_000u32 {
            // A SplitMix64-like walk over the draws.
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let bits = z ^ (z >> 31);
            let a = -4.0 + 6.0 * f64::from(i) / 200_000.0;
            assert_eq!(below(t, bits, a), normal_quantile(uniform(bits)) < a);
        }
        assert!(!below(t, 0, f64::NEG_INFINITY));
        assert!(below(t, u64::MAX, f64::INFINITY));
    }
}
