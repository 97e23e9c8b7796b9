//! Market concentration of a supply: shares, Herfindahl–Hirschman index, top-k shares, N-1.
//!
//! # Formulas
//! With supplier quantities `q_i ≥ 0` and a base `B` (the published world total, or the sum of
//! the suppliers when the world total is missing), the share of supplier `i` is `s_i = q_i / B`.
//!
//! - HHI on fractions: `Σ s_i²`, in `[1/n, 1]` when the shares sum to one;
//! - HHI on percentage points: `10 000 · Σ s_i²` (the U.S. DoJ/FTC scale, 0–10 000);
//! - top-k share: the sum of the k largest shares;
//! - N-1 coverage: `1 − s_max`, the fraction of supply left without the largest supplier.
//!
//! When `B` exceeds the sum of the listed suppliers (a world total that includes unlisted
//! producers), the unlisted remainder is not one supplier, so it does not enter the HHI: the
//! HHI is then a lower bound, and [`Concentration::unlisted_share`] says how much was left out.
//!
//! # References
//! - U.S. Department of Justice and FTC, *Horizontal Merger Guidelines* (2010), §5.3.
//! - European Commission, *Methodology for establishing the EU list of critical raw materials*
//!   (2017), §3.2 (HHI on supply shares).

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How far the listed suppliers may exceed a published total, as a fraction of it, before the
/// total is taken not to cover them. USGS MCS rounds world totals to one or two significant
/// figures; in the built-in MCS 2022–2024 world tables the listed countries exceed the total
/// by up to 5.2 % (zeolites 2022: 946,407 t against 900,000 t; lithium 2023: 184,680 t
/// against 180,000 t, 2.6 %), never more.
pub const ROUNDED_TOTAL_TOLERANCE: f64 = 0.06;

/// Which base a share was computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBase {
    /// The published world total.
    WorldTotal,
    /// The sum of the listed suppliers (no world total was published).
    SumOfSuppliers,
    /// The sum of the listed suppliers plus a published remainder row ("Other countries"),
    /// when no world total was published.
    SumWithRemainder,
}

impl ShareBase {
    /// The snake-case name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareBase::WorldTotal => "world_total",
            ShareBase::SumOfSuppliers => "sum_of_suppliers",
            ShareBase::SumWithRemainder => "sum_of_suppliers_and_other_countries",
        }
    }
}

/// The concentration of one supply (a mineral at a stage in a year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concentration {
    /// Shares of the suppliers as fractions, largest first, with their index in the input.
    pub shares: Vec<(usize, f64)>,
    /// The base the shares are of.
    pub base: ShareBase,
    /// The base quantity.
    pub total: f64,
    /// HHI on fractions (0–1).
    pub hhi_fraction: f64,
    /// HHI on percentage points (0–10 000).
    pub hhi: f64,
    /// Largest share.
    pub top1: f64,
    /// Sum of the three largest shares.
    pub top3: f64,
    /// Supply left without the largest supplier, as a fraction of the base.
    pub n_minus_1: f64,
    /// Share of the base not attributed to a listed supplier (0 on a sum-of-suppliers base).
    pub unlisted_share: f64,
}

/// Computes [`Concentration`] from supplier quantities and an optional published total.
///
/// Negative or non-finite quantities are errors; suppliers with zero output get a zero share,
/// but no supplier with a positive quantity is an error (even with a published total). A
/// published total smaller than the sum of the suppliers (rounding: "World total (rounded)")
/// is still used as the base, so shares can sum slightly above one, as in the publication;
/// more than 6 % above ([`ROUNDED_TOTAL_TOLERANCE`]) is an error: such a total does not cover
/// the suppliers listed.
///
/// ```
/// use orewatch_core::metrics::concentration;
/// // Two suppliers of 3 and 1 units: shares 0.75 and 0.25, HHI 0.625 = 6 250 points.
/// let c = concentration(&[3.0, 1.0], None).unwrap();
/// assert!((c.hhi - 6250.0).abs() < 1e-9);
/// assert!((c.n_minus_1 - 0.25).abs() < 1e-12);
/// ```
pub fn concentration(quantities: &[f64], published_total: Option<f64>) -> Result<Concentration> {
    concentration_with_remainder(quantities, published_total, None)
}

/// Like [`concentration`], with a published remainder row ("Other countries") that enters the
/// base (but not the HHI: it is not one supplier) when no world total is published.
///
/// ```
/// use orewatch_core::metrics::{concentration_with_remainder, ShareBase};
/// let c = concentration_with_remainder(&[6.0, 2.0], None, Some(2.0)).unwrap();
/// assert_eq!(c.base, ShareBase::SumWithRemainder);
/// assert!((c.top1 - 0.6).abs() < 1e-12);
/// assert!((c.unlisted_share - 0.2).abs() < 1e-12);
/// ```
pub fn concentration_with_remainder(
    quantities: &[f64],
    published_total: Option<f64>,
    remainder: Option<f64>,
) -> Result<Concentration> {
    let m = concentration_summary(quantities, published_total, remainder)?;
    let mut shares: Vec<(usize, f64)> =
        quantities.iter().map(|q| q / m.total).enumerate().collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Concentration {
        base: m.base,
        total: m.total,
        hhi_fraction: m.hhi_fraction,
        hhi: m.hhi,
        top1: m.top1,
        top3: m.top3,
        n_minus_1: m.n_minus_1,
        unlisted_share: m.unlisted_share,
        shares,
    })
}

/// The measures of [`Concentration`] without the per-supplier shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConcentrationSummary {
    /// The base the shares are of.
    pub base: ShareBase,
    /// The base quantity; supplier `i`'s share is `quantities[i] / total`.
    pub total: f64,
    /// HHI on fractions (0–1).
    pub hhi_fraction: f64,
    /// HHI on percentage points (0–10 000).
    pub hhi: f64,
    /// Largest share.
    pub top1: f64,
    /// Sum of the three largest shares.
    pub top3: f64,
    /// Supply left without the largest supplier, as a fraction of the base.
    pub n_minus_1: f64,
    /// Share of the base not attributed to a listed supplier.
    pub unlisted_share: f64,
}

/// The measures of [`concentration_with_remainder`] (same base rules, same errors) without
/// the sorted share vector: two passes over the quantities (the total, then the shares), the
/// three largest shares kept in place, no allocation. This is what a caller that needs only
/// HHI, top-k and N-1 over many supplies should use.
///
/// ```
/// use orewatch_core::metrics::concentration_summary;
/// let m = concentration_summary(&[1.0, 6.0, 2.0, 1.0], None, None).unwrap();
/// assert!((m.top1 - 0.6).abs() < 1e-12);
/// assert!((m.top3 - 0.9).abs() < 1e-12);
/// // 0.01 + 0.36 + 0.04 + 0.01
/// assert!((m.hhi_fraction - 0.42).abs() < 1e-12);
/// ```
pub fn concentration_summary(
    quantities: &[f64],
    published_total: Option<f64>,
    remainder: Option<f64>,
) -> Result<ConcentrationSummary> {
    let check = |q: f64| {
        if q.is_finite() && q >= 0.0 {
            Ok(q)
        } else {
            Err(Error::OutOfRange {
                what: "supplier quantity",
                expected: "finite and ≥ 0",
                value: q,
            })
        }
    };
    if let Some(r) = remainder {
        check(r)?;
    }
    let mut sum = 0.0;
    for &q in quantities {
        sum += check(q)?;
    }
    let (base, total) = match (published_total, remainder) {
        (Some(t), _) if t.is_finite() && t > 0.0 => (ShareBase::WorldTotal, t),
        (_, Some(r)) if r > 0.0 => (ShareBase::SumWithRemainder, sum + r),
        _ => (ShareBase::SumOfSuppliers, sum),
    };
    if sum <= 0.0 {
        // A published total alone (every country withheld or zero) says nothing about how
        // concentrated the supply is.
        return Err(Error::NoData {
            what: "no supplier has a positive quantity".into(),
        });
    }
    if sum > total * (1.0 + ROUNDED_TOTAL_TOLERANCE) {
        return Err(Error::OutOfRange {
            what: "sum of the suppliers over the published total",
            expected: "at most 1 (plus rounding tolerance 0.06)",
            value: sum / total,
        });
    }
    let (mut hhi_fraction, mut listed) = (0.0, 0.0);
    // The three largest shares, largest first.
    let mut top = [0.0f64; 3];
    for &q in quantities {
        let s = q / total;
        hhi_fraction += s * s;
        listed += s;
        if s > top[2] {
            if s > top[0] {
                top = [s, top[0], top[1]];
            } else if s > top[1] {
                top = [top[0], s, top[1]];
            } else {
                top[2] = s;
            }
        }
    }
    Ok(ConcentrationSummary {
        base,
        total,
        hhi_fraction,
        hhi: hhi_fraction * 10_000.0,
        top1: top[0],
        top3: top[0] + top[1] + top[2],
        n_minus_1: 1.0 - top[0],
        unlisted_share: (1.0 - listed).max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hhi_of_single_producer_is_10000() {
        let c = concentration(&[42.0], None).unwrap();
        assert_eq!(c.hhi, 10_000.0);
        assert_eq!(c.top1, 1.0);
        assert_eq!(c.n_minus_1, 0.0);
    }

    #[test]
    fn cobalt_2023_share_of_world_total() {
        // MCS2024 cobalt, mine production 2023: DR Congo 170,000 t of a 230,000 t world total.
        let c = concentration(&[170_000.0, 17_000.0, 4_600.0], Some(230_000.0)).unwrap();
        assert_eq!(c.base, ShareBase::WorldTotal);
        assert!((c.top1 - 0.739_130).abs() < 1e-6);
        // Hand computation: (170/230)² + (17/230)² + (4.6/230)² = 0.546314 + 0.005463 + 0.0004.
        assert!((c.hhi_fraction - 0.552_177).abs() < 1e-6);
        assert!(c.unlisted_share > 0.16 && c.unlisted_share < 0.17);
    }

    #[test]
    fn bad_quantities_are_errors() {
        assert!(concentration(&[1.0, -1.0], None).is_err());
        assert!(concentration(&[0.0, 0.0], None).is_err());
        assert!(concentration(&[f64::NAN], None).is_err());
        // Every country withheld (read as 0) beside a world total: no concentration, not HHI 0.
        assert!(matches!(
            concentration(&[0.0, 0.0], Some(230.0)),
            Err(Error::NoData { .. })
        ));
        assert!(concentration(&[], Some(230.0)).is_err());
        // A world total that does not cover the listed suppliers: 310 listed against 230.
        assert!(matches!(
            concentration(&[300.0, 10.0], Some(230.0)),
            Err(Error::OutOfRange { .. })
        ));
        // Rounding is the publication's own: 240 listed against 230 (104.3 %).
        let c = concentration(&[230.0, 10.0], Some(230.0)).unwrap();
        assert!((c.top1 - 1.0).abs() < 1e-12);
        assert!(
            concentration(&[240.0, 4.0], Some(230.0)).is_err(),
            "106.1 %"
        );
    }

    proptest! {
        #[test]
        fn hhi_bounds_and_permutation_invariance(mut q in proptest::collection::vec(0.0f64..1e6, 1..30)) {
            q[0] += 1.0;
            let c = concentration(&q, None).unwrap();
            let n = q.len() as f64;
            prop_assert!(c.hhi <= 10_000.0 + 1e-6);
            prop_assert!(c.hhi >= 10_000.0 / n - 1e-6);
            let sum: f64 = c.shares.iter().map(|s| s.1).sum();
            prop_assert!((sum - 1.0).abs() < 1e-9);
            q.reverse();
            let r = concentration(&q, None).unwrap();
            prop_assert!((r.hhi - c.hhi).abs() < 1e-6);
            prop_assert!((r.top3 - c.top3).abs() < 1e-12);
        }

        #[test]
        fn summary_agrees_with_the_sorted_shares(
            q in proptest::collection::vec(0.0f64..1e6, 1..40),
            total in proptest::option::of(1.0f64..1e8),
            rem in proptest::option::of(0.0f64..1e6),
        ) {
            let Ok(c) = concentration_with_remainder(&q, total, rem) else {
                // Only the documented reasons: nothing positive, or a total below the suppliers.
                let sum: f64 = q.iter().sum();
                let base = total.unwrap_or(sum + rem.unwrap_or(0.0));
                prop_assert!(sum <= 0.0 || sum > base * (1.0 + ROUNDED_TOTAL_TOLERANCE));
                return Ok(());
            };
            // Independent of the one-pass code: sums over the sorted share vector.
            let sorted: Vec<f64> = c.shares.iter().map(|s| s.1).collect();
            let top3: f64 = sorted.iter().take(3).sum();
            let hhi: f64 = sorted.iter().map(|s| s * s).sum();
            prop_assert_eq!(c.top1, sorted[0]);
            prop_assert!((c.top3 - top3).abs() <= 1e-12 * top3.max(1.0));
            prop_assert!((c.hhi_fraction - hhi).abs() <= 1e-12 * hhi.max(1.0));
            prop_assert!(sorted.windows(2).all(|w| w[0] >= w[1]));
        }
    }
}
