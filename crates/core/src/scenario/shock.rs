//! Shocks: what is lost, where, from when and for how long.
//!
//! Every shock reduces to *cuts*: a fraction of one country's output at one stage of one
//! mineral, over a window of months. A month partly covered by the window loses the covered
//! part (a shock from month 0.5 lasting one month takes half of months 0 and 1). Several
//! cuts on the same supplier combine as independent losses: what is left is the product of
//! what each leaves, `Π (1 − f_k)`.
//!
//! Months count from the start of the run (month 0 is the first month); a duration may be
//! infinite (the default: until the end of the horizon).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::scenario::model::{ResolvedChain, check_fraction};
use crate::{CountryCode, Error, MineralId, RegionCode, Result, Stage};

/// What a shock takes out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShockKind {
    /// An export ban (fraction 1) or cut (fraction below 1) by a country: its output at the
    /// stage leaves the market the importer buys from.
    ExportCut {
        /// The country.
        country: CountryCode,
    },
    /// N-k: the `k` largest suppliers of the stage (by production; ties by country code) are
    /// out.
    LargestSuppliers {
        /// How many (≥ 1, at most the number of listed suppliers).
        k: usize,
    },
    /// One site is out: it takes its share of its country's output at the stage.
    SiteOutage {
        /// The country of the site.
        country: CountryCode,
        /// The site's share of the country's output at the stage, in `[0, 1]` (from site
        /// data, given by the caller).
        site_share: f64,
    },
    /// All sites of a region are out (violence closing a province's mines): they take the sum
    /// of their shares of the country's output.
    RegionalOutage {
        /// The country of the region.
        country: CountryCode,
        /// The region (for the record; core does not look up its sites).
        region: RegionCode,
        /// The shares of the country's output of each site in the region, each in `[0, 1]`,
        /// summing to at most 1.
        site_shares: Vec<f64>,
    },
}

/// A disruption of a mineral at a stage, with its size and its window in months.
///
/// ```
/// use orewatch_core::scenario::Shock;
/// let s: Shock = "CHN:gallium:refining:1.0:0:1".parse().unwrap();
/// assert_eq!(s.fraction, 1.0);
/// assert_eq!(s.duration_months, 1.0);
/// assert!("CHN:gallium:refining:1.5".parse::<Shock>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shock {
    /// The mineral.
    pub mineral: MineralId,
    /// The stage hit.
    pub stage: Stage,
    /// What is taken out.
    pub kind: ShockKind,
    /// The fraction of the target's output lost, in `[0, 1]`.
    pub fraction: f64,
    /// First month (from 0; fractional months allowed), ≥ 0.
    pub start_month: f64,
    /// Length in months, ≥ 0; `f64::INFINITY` lasts to the end of the horizon.
    pub duration_months: f64,
}

impl Shock {
    fn with_kind(mineral: MineralId, stage: Stage, kind: ShockKind, fraction: f64) -> Self {
        Shock {
            mineral,
            stage,
            kind,
            fraction,
            start_month: 0.0,
            duration_months: f64::INFINITY,
        }
    }

    /// An export ban or cut by `country`, from month 0 to the end of the horizon.
    pub fn export_cut(
        country: CountryCode,
        mineral: MineralId,
        stage: Stage,
        fraction: f64,
    ) -> Self {
        Shock::with_kind(mineral, stage, ShockKind::ExportCut { country }, fraction)
    }

    /// N-k: the `k` largest suppliers of the stage out entirely.
    pub fn n_minus_k(mineral: MineralId, stage: Stage, k: usize) -> Self {
        Shock::with_kind(mineral, stage, ShockKind::LargestSuppliers { k }, 1.0)
    }

    /// One site out entirely.
    pub fn site_outage(
        country: CountryCode,
        mineral: MineralId,
        stage: Stage,
        site_share: f64,
    ) -> Self {
        Shock::with_kind(
            mineral,
            stage,
            ShockKind::SiteOutage {
                country,
                site_share,
            },
            1.0,
        )
    }

    /// Every site of a region out entirely.
    pub fn regional_outage(
        country: CountryCode,
        region: RegionCode,
        mineral: MineralId,
        stage: Stage,
        site_shares: Vec<f64>,
    ) -> Self {
        Shock::with_kind(
            mineral,
            stage,
            ShockKind::RegionalOutage {
                country,
                region,
                site_shares,
            },
            1.0,
        )
    }

    /// The same shock starting at `month`.
    pub fn starting_at(mut self, month: f64) -> Self {
        self.start_month = month;
        self
    }

    /// The same shock lasting `months`.
    pub fn lasting(mut self, months: f64) -> Self {
        self.duration_months = months;
        self
    }

    /// The same shock with another fraction.
    pub fn with_fraction(mut self, fraction: f64) -> Self {
        self.fraction = fraction;
        self
    }

    /// Checks the fraction, window and shares (not the chain: see [`Shock::resolve`]).
    pub fn validate(&self) -> Result<()> {
        check_fraction("shock fraction", self.fraction)?;
        if !(self.start_month.is_finite() && self.start_month >= 0.0) {
            return Err(Error::OutOfRange {
                what: "shock start month",
                expected: "finite and ≥ 0",
                value: self.start_month,
            });
        }
        if self.duration_months.is_nan() || self.duration_months < 0.0 {
            return Err(Error::OutOfRange {
                what: "shock duration in months",
                expected: "≥ 0",
                value: self.duration_months,
            });
        }
        match &self.kind {
            ShockKind::ExportCut { .. } => {}
            ShockKind::LargestSuppliers { k } => {
                if *k == 0 {
                    return Err(Error::OutOfRange {
                        what: "k of an N-k shock",
                        expected: "at least 1",
                        value: 0.0,
                    });
                }
            }
            ShockKind::SiteOutage { site_share, .. } => {
                check_fraction("site share of its country's output", *site_share)?
            }
            ShockKind::RegionalOutage { site_shares, .. } => {
                for s in site_shares {
                    check_fraction("site share of its country's output", *s)?;
                }
                let sum: f64 = site_shares.iter().sum();
                if sum > 1.0 + 1e-9 {
                    return Err(Error::OutOfRange {
                        what: "sum of a region's site shares",
                        expected: "at most 1",
                        value: sum,
                    });
                }
            }
        }
        Ok(())
    }

    /// Validates the shock against a chain and turns it into cuts.
    pub(crate) fn resolve(&self, chain: &ResolvedChain) -> Result<Vec<Cut>> {
        self.validate()?;
        if self.mineral != chain.mineral {
            return Err(Error::UnknownMineral {
                name: self.mineral.to_string(),
            });
        }
        let stage = chain.stage_index(self.stage).ok_or_else(|| Error::NoData {
            what: format!(
                "no {} stage for {} in the supply model",
                self.stage, self.mineral
            ),
        })?;
        let st = &chain.stages[stage];
        let slot_of = |country: CountryCode| {
            st.slot(country).ok_or_else(|| Error::UnknownCountry {
                name: format!(
                    "{country} (not a {} supplier of {})",
                    self.stage, self.mineral
                ),
            })
        };
        let cut = |slot: usize, fraction: f64| Cut {
            stage,
            slot,
            fraction,
            start: self.start_month,
            duration: self.duration_months,
        };
        Ok(match &self.kind {
            ShockKind::ExportCut { country } => vec![cut(slot_of(*country)?, self.fraction)],
            ShockKind::SiteOutage {
                country,
                site_share,
            } => vec![cut(slot_of(*country)?, self.fraction * site_share)],
            ShockKind::RegionalOutage {
                country,
                site_shares,
                ..
            } => {
                let share: f64 = site_shares.iter().sum::<f64>().min(1.0);
                vec![cut(slot_of(*country)?, self.fraction * share)]
            }
            ShockKind::LargestSuppliers { k } => {
                // The last slot is the unlisted producers: not a supplier one can name.
                let mut listed: Vec<usize> = (0..st.countries.len() - 1).collect();
                if *k > listed.len() {
                    return Err(Error::OutOfRange {
                        what: "k of an N-k shock",
                        expected: "at most the number of listed suppliers",
                        value: *k as f64,
                    });
                }
                listed.sort_by(|&a, &b| {
                    st.production[b]
                        .total_cmp(&st.production[a])
                        .then(st.countries[a].cmp(&st.countries[b]))
                });
                listed
                    .into_iter()
                    .take(*k)
                    .map(|slot| cut(slot, self.fraction))
                    .collect()
            }
        })
    }
}

impl fmt::Display for Shock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ShockKind::ExportCut { country } => write!(f, "export cut by {country}")?,
            ShockKind::LargestSuppliers { k } => write!(f, "N-{k}")?,
            ShockKind::SiteOutage {
                country,
                site_share,
            } => write!(
                f,
                "site outage in {country} ({:.1} % of output)",
                site_share * 100.0
            )?,
            ShockKind::RegionalOutage {
                country, region, ..
            } => write!(f, "regional outage {region} ({country})")?,
        }
        write!(
            f,
            " of {} {}, {:.1} % from month {}",
            self.mineral,
            self.stage,
            self.fraction * 100.0,
            self.start_month
        )?;
        if self.duration_months.is_finite() {
            write!(f, " for {} months", self.duration_months)
        } else {
            f.write_str(" to the end")
        }
    }
}

impl std::str::FromStr for Shock {
    type Err = Error;

    /// Parses the command-line form `COUNTRY:MINERAL:STAGE:FRACTION[:START:MONTHS]`: an ISO
    /// alpha-3 code, a mineral slug (normalise names through the mineral registry before),
    /// `mining` or `refining`, a fraction in `[0, 1]`, and optionally the start month and the
    /// duration in months.
    fn from_str(spec: &str) -> Result<Self> {
        let parts: Vec<&str> = spec.trim().split(':').map(str::trim).collect();
        if parts.len() != 4 && parts.len() != 6 {
            return Err(Error::OutOfRange {
                what: "number of fields of a shock COUNTRY:MINERAL:STAGE:FRACTION[:START:MONTHS]",
                expected: "4 or 6",
                value: parts.len() as f64,
            });
        }
        let number = |what: &'static str, s: &str| {
            s.parse::<f64>().map_err(|_| Error::OutOfRange {
                what,
                expected: "a number",
                value: f64::NAN,
            })
        };
        let country: CountryCode = parts[0].parse()?;
        let mineral = MineralId::try_new(&parts[1].to_ascii_lowercase())?;
        let stage: Stage = parts[2].parse()?;
        let fraction = number("shock fraction", parts[3])?;
        let mut shock = Shock::export_cut(country, mineral, stage, fraction);
        if parts.len() == 6 {
            shock.start_month = number("shock start month", parts[4])?;
            shock.duration_months = number("shock duration in months", parts[5])?;
        }
        shock.validate()?;
        Ok(shock)
    }
}

/// A resolved shock: a fraction of one supplier slot of one stage over a window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cut {
    pub(crate) stage: usize,
    pub(crate) slot: usize,
    pub(crate) fraction: f64,
    pub(crate) start: f64,
    pub(crate) duration: f64,
}

/// The part of month `m` (the interval `[m, m + 1)`) covered by `[start, start + duration)`.
pub(crate) fn overlap(start: f64, duration: f64, m: u32) -> f64 {
    let lo = start.max(f64::from(m));
    let hi = (start + duration).min(f64::from(m) + 1.0);
    (hi - lo).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{ModelParams, StageSupply, SupplierState, SupplyChain};

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn cobalt() -> ResolvedChain {
        let chain = SupplyChain {
            mineral: MineralId::try_new("cobalt").unwrap(),
            stages: vec![StageSupply::new(
                Stage::Mining,
                vec![
                    SupplierState::new(cc("IDN"), 17.0),
                    SupplierState::new(cc("COD"), 170.0),
                    SupplierState::new(cc("RUS"), 8.8),
                ],
            )],
        };
        ResolvedChain::new(&chain, &ModelParams::default()).unwrap()
    }

    #[test]
    fn n_minus_k_takes_the_largest_suppliers() {
        let c = cobalt();
        let s = Shock::n_minus_k(c.mineral.clone(), Stage::Mining, 2);
        let cuts = s.resolve(&c).unwrap();
        let slots: Vec<usize> = cuts.iter().map(|c| c.slot).collect();
        assert_eq!(slots, vec![1, 0]);
        assert!(
            Shock::n_minus_k(c.mineral.clone(), Stage::Mining, 4)
                .resolve(&c)
                .is_err()
        );
    }

    #[test]
    fn site_and_regional_outages_scale_the_country_cut() {
        let c = cobalt();
        let m = c.mineral.clone();
        let s = Shock::site_outage(cc("COD"), m.clone(), Stage::Mining, 0.25).with_fraction(0.5);
        assert_eq!(s.resolve(&c).unwrap()[0].fraction, 0.125);
        let region: RegionCode = "CD-LU".parse().unwrap();
        let r = Shock::regional_outage(cc("COD"), region, m, Stage::Mining, vec![0.25, 0.5]);
        assert_eq!(r.resolve(&c).unwrap()[0].fraction, 0.75);
        let mut bad = r.clone();
        if let ShockKind::RegionalOutage { site_shares, .. } = &mut bad.kind {
            site_shares.push(0.5);
        }
        assert!(bad.resolve(&c).is_err());
    }

    #[test]
    fn bad_shocks_are_errors() {
        let c = cobalt();
        let m = c.mineral.clone();
        let ok = Shock::export_cut(cc("COD"), m.clone(), Stage::Mining, 1.0);
        assert!(ok.resolve(&c).is_ok());
        let e = ok.clone().with_fraction(1.01).resolve(&c).unwrap_err();
        assert!(matches!(
            e,
            Error::OutOfRange {
                what: "shock fraction",
                ..
            }
        ));
        assert!(ok.clone().with_fraction(-0.1).resolve(&c).is_err());
        assert!(ok.clone().with_fraction(f64::NAN).resolve(&c).is_err());
        let e = ok.clone().lasting(-1.0).resolve(&c).unwrap_err();
        assert!(matches!(
            e,
            Error::OutOfRange {
                what: "shock duration in months",
                ..
            }
        ));
        assert!(ok.clone().starting_at(-2.0).resolve(&c).is_err());
        let e = Shock::export_cut(cc("CHN"), m.clone(), Stage::Mining, 1.0)
            .resolve(&c)
            .unwrap_err();
        assert!(matches!(e, Error::UnknownCountry { .. }), "{e}");
        let e = Shock::export_cut(cc("COD"), m, Stage::Refining, 1.0)
            .resolve(&c)
            .unwrap_err();
        assert!(matches!(e, Error::NoData { .. }));
        let other = MineralId::try_new("lithium").unwrap();
        let e = Shock::export_cut(cc("COD"), other, Stage::Mining, 1.0)
            .resolve(&c)
            .unwrap_err();
        assert!(matches!(e, Error::UnknownMineral { .. }));
    }

    #[test]
    fn command_line_specs_parse() {
        let s: Shock = "chn:gallium:refining:1.0".parse().unwrap();
        assert_eq!(s.start_month, 0.0);
        assert!(s.duration_months.is_infinite());
        assert_eq!(s.stage, Stage::Refining);
        let s: Shock = "COD:cobalt:mining:0.5:2:3".parse().unwrap();
        assert_eq!((s.start_month, s.duration_months), (2.0, 3.0));
        assert!("COD:cobalt:mining:0.5:2:-3".parse::<Shock>().is_err());
        assert!("COD:cobalt:mining".parse::<Shock>().is_err());
        assert!("COD:cobalt:smelting:0.5".parse::<Shock>().is_err());
        assert!("CD:cobalt:mining:0.5".parse::<Shock>().is_err());
        assert!("COD:cobalt:mining:half".parse::<Shock>().is_err());
        assert_eq!(
            s.to_string(),
            "export cut by COD of cobalt mining, 50.0 % from month 2 for 3 months"
        );
    }

    #[test]
    fn overlap_covers_partial_months() {
        assert_eq!(overlap(0.5, 1.0, 0), 0.5);
        assert_eq!(overlap(0.5, 1.0, 1), 0.5);
        assert_eq!(overlap(0.5, 1.0, 2), 0.0);
        assert_eq!(overlap(3.0, f64::INFINITY, 11), 1.0);
        assert_eq!(overlap(3.0, 0.0, 3), 0.0);
    }
}
