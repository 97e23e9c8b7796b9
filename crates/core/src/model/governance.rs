//! Governance indicators: the World Bank Worldwide Governance Indicators (WGI).
//!
//! The WGI publish six dimensions of governance for about 214 economies. Each dimension comes
//! as six series (the estimate, its standard error, the number of sources, the percentile rank
//! and the two bounds of the rank's 90% confidence interval); orewatch keeps one
//! [`GovernanceRecord`] per country × year × dimension with the six series merged.
//!
//! # References
//! Kaufmann, D. & Kraay, A., *Worldwide Governance Indicators, 2023 update*,
//! www.govindicators.org (CC BY 4.0).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CountryCode;
use crate::model::provenance::Provenance;

/// One of the six WGI dimensions, serialised as its two-letter code (`PV`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WgiDimension {
    /// `VA`: voice and accountability.
    #[serde(rename = "VA")]
    VoiceAndAccountability,
    /// `PV`: political stability and absence of violence/terrorism.
    #[serde(rename = "PV")]
    PoliticalStability,
    /// `GE`: government effectiveness.
    #[serde(rename = "GE")]
    GovernmentEffectiveness,
    /// `RQ`: regulatory quality.
    #[serde(rename = "RQ")]
    RegulatoryQuality,
    /// `RL`: rule of law.
    #[serde(rename = "RL")]
    RuleOfLaw,
    /// `CC`: control of corruption.
    #[serde(rename = "CC")]
    ControlOfCorruption,
}

impl WgiDimension {
    /// The six dimensions, in the World Bank's order.
    pub const ALL: [WgiDimension; 6] = [
        WgiDimension::VoiceAndAccountability,
        WgiDimension::PoliticalStability,
        WgiDimension::GovernmentEffectiveness,
        WgiDimension::RegulatoryQuality,
        WgiDimension::RuleOfLaw,
        WgiDimension::ControlOfCorruption,
    ];

    /// The two-letter code the World Bank uses in series codes (`PV` in `PV.EST`).
    pub fn code(self) -> &'static str {
        match self {
            WgiDimension::VoiceAndAccountability => "VA",
            WgiDimension::PoliticalStability => "PV",
            WgiDimension::GovernmentEffectiveness => "GE",
            WgiDimension::RegulatoryQuality => "RQ",
            WgiDimension::RuleOfLaw => "RL",
            WgiDimension::ControlOfCorruption => "CC",
        }
    }

    /// Parses a two-letter code (case-insensitive).
    pub fn from_code(code: &str) -> Option<WgiDimension> {
        let code = code.trim();
        WgiDimension::ALL
            .into_iter()
            .find(|d| d.code().eq_ignore_ascii_case(code))
    }

    /// The English name as the World Bank prints it in `Indicator Name`.
    pub fn name_en(self) -> &'static str {
        match self {
            WgiDimension::VoiceAndAccountability => "Voice and Accountability",
            WgiDimension::PoliticalStability => {
                "Political Stability and Absence of Violence/Terrorism"
            }
            WgiDimension::GovernmentEffectiveness => "Government Effectiveness",
            WgiDimension::RegulatoryQuality => "Regulatory Quality",
            WgiDimension::RuleOfLaw => "Rule of Law",
            WgiDimension::ControlOfCorruption => "Control of Corruption",
        }
    }
}

impl fmt::Display for WgiDimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One of the six series published per dimension: the suffix of the series code
/// (`.EST` in `PV.EST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WgiSeries {
    /// `EST`: the estimate, in units of a standard normal distribution (about −2.5…+2.5).
    Estimate,
    /// `STD.ERR`: the standard error of the estimate.
    StdErr,
    /// `NO.SRC`: the number of data sources the estimate rests on.
    NumSources,
    /// `PER.RNK`: the percentile rank among all economies (0 lowest … 100 highest).
    PercentileRank,
    /// `PER.RNK.LOWER`: the lower bound of the rank's 90% confidence interval.
    PercentileRankLower,
    /// `PER.RNK.UPPER`: the upper bound of the rank's 90% confidence interval.
    PercentileRankUpper,
}

impl WgiSeries {
    /// The six series, in the order of [`GovernanceRecord`]'s fields.
    pub const ALL: [WgiSeries; 6] = [
        WgiSeries::Estimate,
        WgiSeries::StdErr,
        WgiSeries::NumSources,
        WgiSeries::PercentileRank,
        WgiSeries::PercentileRankLower,
        WgiSeries::PercentileRankUpper,
    ];

    /// The suffix of the series code (`PER.RNK.LOWER`).
    pub fn suffix(self) -> &'static str {
        match self {
            WgiSeries::Estimate => "EST",
            WgiSeries::StdErr => "STD.ERR",
            WgiSeries::NumSources => "NO.SRC",
            WgiSeries::PercentileRank => "PER.RNK",
            WgiSeries::PercentileRankLower => "PER.RNK.LOWER",
            WgiSeries::PercentileRankUpper => "PER.RNK.UPPER",
        }
    }

    /// Splits a World Bank series code (`CC.PER.RNK.UPPER`, case-insensitive) into its
    /// dimension and series, or `None` when it is not one of the 36 WGI series.
    ///
    /// ```
    /// use orewatch_core::model::governance::{WgiDimension, WgiSeries};
    /// assert_eq!(
    ///     WgiSeries::parse_code("PV.EST"),
    ///     Some((WgiDimension::PoliticalStability, WgiSeries::Estimate))
    /// );
    /// assert_eq!(WgiSeries::parse_code("NY.GDP.MKTP.CD"), None);
    /// ```
    pub fn parse_code(code: &str) -> Option<(WgiDimension, WgiSeries)> {
        let (dim, suffix) = code.trim().split_once('.')?;
        let dim = WgiDimension::from_code(dim)?;
        let series = WgiSeries::ALL
            .into_iter()
            .find(|s| s.suffix().eq_ignore_ascii_case(suffix))?;
        Some((dim, series))
    }
}

/// A country's governance in one dimension and year: the six WGI series merged.
///
/// A series the World Bank left blank (`..` or an empty cell) is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovernanceRecord {
    /// The economy.
    pub country: CountryCode,
    /// The year the indicator describes.
    pub year: i32,
    /// The dimension.
    pub dimension: WgiDimension,
    /// `X.EST`: the estimate (about −2.5 weak … +2.5 strong governance).
    pub estimate: Option<f64>,
    /// `X.STD.ERR`: the standard error of the estimate.
    pub std_err: Option<f64>,
    /// `X.NO.SRC`: the number of sources (a count, published as a number).
    pub n_sources: Option<f64>,
    /// `X.PER.RNK`: the percentile rank, 0…100.
    pub pct_rank: Option<f64>,
    /// `X.PER.RNK.LOWER`: the lower bound of the rank's 90% confidence interval.
    pub pct_rank_lower: Option<f64>,
    /// `X.PER.RNK.UPPER`: the upper bound of the rank's 90% confidence interval.
    pub pct_rank_upper: Option<f64>,
    /// Where it came from (the line of the first of the dimension's series rows read).
    pub provenance: Provenance,
}

impl GovernanceRecord {
    /// An empty record (every series `None`) for a country, year and dimension.
    pub fn new(
        country: CountryCode,
        year: i32,
        dimension: WgiDimension,
        provenance: Provenance,
    ) -> Self {
        GovernanceRecord {
            country,
            year,
            dimension,
            estimate: None,
            std_err: None,
            n_sources: None,
            pct_rank: None,
            pct_rank_lower: None,
            pct_rank_upper: None,
            provenance,
        }
    }

    /// The value of one series.
    pub fn series(&self, series: WgiSeries) -> Option<f64> {
        match series {
            WgiSeries::Estimate => self.estimate,
            WgiSeries::StdErr => self.std_err,
            WgiSeries::NumSources => self.n_sources,
            WgiSeries::PercentileRank => self.pct_rank,
            WgiSeries::PercentileRankLower => self.pct_rank_lower,
            WgiSeries::PercentileRankUpper => self.pct_rank_upper,
        }
    }

    /// Sets one series.
    pub fn set_series(&mut self, series: WgiSeries, value: Option<f64>) {
        let slot = match series {
            WgiSeries::Estimate => &mut self.estimate,
            WgiSeries::StdErr => &mut self.std_err,
            WgiSeries::NumSources => &mut self.n_sources,
            WgiSeries::PercentileRank => &mut self.pct_rank,
            WgiSeries::PercentileRankLower => &mut self.pct_rank_lower,
            WgiSeries::PercentileRankUpper => &mut self.pct_rank_upper,
        };
        *slot = value;
    }

    /// True when every series is `None`.
    pub fn is_empty(&self) -> bool {
        WgiSeries::ALL.iter().all(|&s| self.series(s).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_code_round_trips() {
        let mut n = 0;
        for d in WgiDimension::ALL {
            for s in WgiSeries::ALL {
                let code = format!("{}.{}", d.code(), s.suffix());
                assert_eq!(WgiSeries::parse_code(&code), Some((d, s)), "{code}");
                n += 1;
            }
        }
        // 6 dimensions × 6 series: the 36 series of the bulk file.
        assert_eq!(n, 36);
        assert_eq!(
            WgiSeries::parse_code("cc.no.src").map(|x| x.1),
            Some(WgiSeries::NumSources)
        );
        assert_eq!(WgiSeries::parse_code("XX.EST"), None);
        assert_eq!(WgiSeries::parse_code("CC.RNK"), None);
        assert_eq!(WgiSeries::parse_code("CC"), None);
    }

    #[test]
    fn series_setters_fill_the_matching_field() {
        let prov = Provenance {
            source: "World Bank WGI".into(),
            release: "2023 update".into(),
            file: "WGIData.csv".into(),
            line: 2,
        };
        let mut r = GovernanceRecord::new(
            "PAK".parse().unwrap(),
            2022,
            WgiDimension::PoliticalStability,
            prov,
        );
        assert!(r.is_empty());
        r.set_series(WgiSeries::PercentileRankUpper, Some(9.4));
        assert_eq!(r.pct_rank_upper, Some(9.4));
        assert!(!r.is_empty());
        assert_eq!(
            WgiDimension::from_code("pv"),
            Some(WgiDimension::PoliticalStability)
        );
        assert_eq!(WgiDimension::RuleOfLaw.to_string(), "RL");
    }
}
