//! The EU criticality method: the governance- and trade-weighted HHI (`HHI_WGI,t`), supply
//! risk (SR), economic importance (EI) and the classification of the EU lists of critical raw
//! materials (2017, 2020 and 2023 assessments).
//!
//! # Formulas
//! With supply shares `S_c` as fractions of the supply (global supply GS or EU sourcing EUS),
//! the scaled governance `WGI_c` (0 best … 10 worst) and the trade-related variable `t_c`:
//!
//! - `HHI_WGI,t = Σ_c S_c² · WGI_c · t_c` (0 … `10 · max t`; [`hhi_wgi_t`]);
//! - `SR = [HHI_GS · IR/2 + HHI_EUS · (1 − IR/2)] · (1 − EOL_RIR) · SI_SR` ([`supply_risk`]),
//!   with `IR` the EU import reliance as a fraction (a net exporter's negative IR counts as 0),
//!   `EOL_RIR` the end-of-life recycling input rate and `SI_SR` the substitution index for
//!   supply risk. When the assessment used only one supply (`GS only`, `EUS only`), the
//!   bracket is that HHI alone;
//! - `EI = SI_EI · 10 · Σ_s A_s · Q_s / max Q` ([`economic_importance`]), with `A_s` the share
//!   of the material's EU end uses in NACE 2-digit sector `s`, `Q_s` the sector's value added
//!   and `max Q` the value added of the largest NACE 2-digit manufacturing sector (in the 2023
//!   study, C28 machinery and equipment, 204,200 M€: [`C28_VALUE_ADDED_2023_MEUR`]);
//! - a material is critical when `SR ≥ 1.0` and `EI ≥ 2.8` ([`is_critical`]); groups (LREE,
//!   HREE, PGM) are assessed on the means of their members' SR and EI ([`classify`]).
//!
//! # Governance scaling
//! The World Bank WGI publish six estimates per economy and year (VA, PV, GE, RQ, RL, CC), in
//! units of a standard normal distribution, virtually all within −2.5 … +2.5, higher being
//! better. The 2017 guidelines average the six estimates and rescale −2.5 … +2.5 linearly to
//! 10 … 0, so that a higher value means a higher supply risk. orewatch does exactly that:
//! `WGI_c = 5 − 2 · mean(estimates)`, clamped to `0..=10` for the rare means beyond ±2.5
//! ([`wgi_scaled`], [`wgi_scores`]). Because the rescaling is linear, averaging before or after
//! rescaling gives the same number. A country with fewer than six published estimates gets the
//! mean of those it has, flagged as estimated.
//!
//! # Trade variable
//! `t_c` is published per country, material and stage (0.8 for EU members, 1.0 by default,
//! above 1 for export restrictions, up to 1.5 in the 2023 tables). Where a record leaves
//! it empty, orewatch assumes 0.8 for the EU-27 and 1.0 otherwise, and flags the assumption.
//!
//! # Provenance
//! Every result lists the inputs it rests on ([`InputRef`]): source, release, year, and whether
//! the input was published, supplied by the caller, or assumed, and whether it is an estimate
//! (an MCS `e` figure, a `<0.1%` share read as its bound, a WGI mean over fewer than six
//! estimates). The type is re-exported as `orewatch_core::metrics::InputRef`.
//!
//! # References
//! - European Commission (2017), *Methodology for establishing the EU list of critical raw
//!   materials — Guidelines*, Publications Office of the EU: the sections on supply risk
//!   (HHI_WGI,t, the trade variable t, import reliance, EOL-RIR, SI_SR), economic importance
//!   (end-use shares, NACE 2-digit value added, SI_EI) and the thresholds.
//! - European Commission (2017), *Study on the review of the list of Critical Raw Materials —
//!   Criticality Assessments*, Table 3 and Annex 5 Table 18 (the 2017 inputs and results).
//! - COM(2017) 490, *on the 2017 list of Critical Raw Materials for the EU* (the list; coking
//!   coal kept "for the sake of caution" although it missed the EI threshold).
//! - Grohol, M. & Veeh, C. (2023), *Study on the Critical Raw Materials for the EU 2023 — Final
//!   Report*, DG GROW, Appendices 6 (end uses, NACE value added) and 7 (supply shares and t).
//! - Kaufmann, D. & Kraay, A., *Worldwide Governance Indicators, 2023 update*.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Provenance;
use crate::model::country::Party;
use crate::model::eu::{Eu2017Input, EuEndUseShare, EuSupplyShare, NaceSector, SupplyUsed};
use crate::model::governance::{GovernanceRecord, WgiDimension};
use crate::model::production::Qualifier;
use crate::{CountryCode, Error, Result};

// ---------------------------------------------------------------------------------------------
// Provenance of inputs
// ---------------------------------------------------------------------------------------------

/// How an input of a metric was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputOrigin {
    /// Read from a published dataset (source and release say which).
    Published,
    /// Given by the caller: orewatch's data do not have it (e.g. USGS economic vulnerability,
    /// EU substitution indexes for 2023).
    Supplied,
    /// A methodological default the method prescribes where the data are silent (t = 0.8 for
    /// an EU producer, g = 0.5 for a supplier without a WGI score).
    Assumed,
}

/// One input a metric result rests on: what it is, where it came from, and whether it is an
/// estimate.
///
/// Results merge their inputs by `(input, origin, source, release, year)`, so a `HHI_WGI,t`
/// over 30 suppliers lists one entry for the shares and one per WGI year, not 60 entries;
/// `estimated` is set when any merged figure was an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InputRef {
    /// What the input is ("global supply shares", "WGI estimates").
    pub input: String,
    /// Published, supplied or assumed.
    pub origin: InputOrigin,
    /// The publisher's dataset (`EU CRM`, `World Bank WGI`, `USGS MCS`), or who supplied or
    /// prescribed the value.
    pub source: String,
    /// The release (`2023`, `2023 update`, `MCS2024`), empty when not applicable.
    pub release: String,
    /// The year the figure describes, when it has one.
    pub year: Option<i32>,
    /// At least one merged figure is an estimate, a bound read as a value, or a mean over
    /// incomplete data.
    pub estimated: bool,
}

impl InputRef {
    /// An input read from a dataset record.
    pub fn published(
        input: impl Into<String>,
        provenance: &Provenance,
        year: Option<i32>,
        estimated: bool,
    ) -> Self {
        InputRef {
            input: input.into(),
            origin: InputOrigin::Published,
            source: provenance.source.clone(),
            release: provenance.release.clone(),
            year,
            estimated,
        }
    }

    /// An input the caller supplied (not in orewatch's data).
    pub fn supplied(input: impl Into<String>, source: impl Into<String>) -> Self {
        InputRef {
            input: input.into(),
            origin: InputOrigin::Supplied,
            source: source.into(),
            release: String::new(),
            year: None,
            estimated: false,
        }
    }

    /// A default the method prescribes, with the rule that prescribes it as `source`.
    pub fn assumed(input: impl Into<String>, rule: impl Into<String>) -> Self {
        InputRef {
            input: input.into(),
            origin: InputOrigin::Assumed,
            source: rule.into(),
            release: String::new(),
            year: None,
            estimated: true,
        }
    }

    fn same_key(&self, other: &InputRef) -> bool {
        self.input == other.input
            && self.origin == other.origin
            && self.source == other.source
            && self.release == other.release
            && self.year == other.year
    }
}

/// Adds `new` to `inputs`, merging it with an entry of the same key (`estimated` is or-ed).
pub fn merge_input(inputs: &mut Vec<InputRef>, new: InputRef) {
    match inputs.iter_mut().find(|r| r.same_key(&new)) {
        Some(r) => r.estimated |= new.estimated,
        None => inputs.push(new),
    }
}

/// True when any input is an estimate or an assumption.
pub fn any_estimated(inputs: &[InputRef]) -> bool {
    inputs.iter().any(|r| r.estimated)
}

// ---------------------------------------------------------------------------------------------
// Governance (WGI) scaling
// ---------------------------------------------------------------------------------------------

/// Rescales a mean WGI estimate (about −2.5 worst … +2.5 best) to the EU scale 0 (best) … 10
/// (worst): `5 − 2 · x`, clamped to `0..=10`.
///
/// ```
/// use orewatch_core::metrics::eu::wgi_scaled;
/// assert_eq!(wgi_scaled(-2.5).unwrap(), 10.0);
/// assert_eq!(wgi_scaled(0.0).unwrap(), 5.0);
/// assert_eq!(wgi_scaled(2.5).unwrap(), 0.0);
/// assert_eq!(wgi_scaled(2.7).unwrap(), 0.0); // beyond the nominal range: clamped
/// ```
pub fn wgi_scaled(mean_estimate: f64) -> Result<f64> {
    if !mean_estimate.is_finite() {
        return Err(Error::OutOfRange {
            what: "WGI estimate",
            expected: "finite",
            value: mean_estimate,
        });
    }
    Ok((5.0 - 2.0 * mean_estimate).clamp(0.0, 10.0))
}

/// A country's governance for one year on the EU 0–10 scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WgiScore {
    /// The economy.
    pub country: CountryCode,
    /// The WGI year.
    pub year: i32,
    /// The mean of the published estimates.
    pub mean_estimate: f64,
    /// The mean rescaled to 0 (best) … 10 (worst).
    pub scaled: f64,
    /// How many of the six dimensions had an estimate (6 normally).
    pub dimensions: usize,
    /// Where it came from; estimated when fewer than six dimensions were published.
    pub input: InputRef,
}

/// The EU-scaled governance of every economy with at least one WGI estimate in `year`.
///
/// Records of other years are ignored; of a country's six dimensions, those with an estimate
/// are averaged (see the module documentation).
pub fn wgi_scores(records: &[GovernanceRecord], year: i32) -> BTreeMap<CountryCode, WgiScore> {
    let mut acc: BTreeMap<CountryCode, (f64, Vec<WgiDimension>, &Provenance)> = BTreeMap::new();
    for r in records.iter().filter(|r| r.year == year) {
        let Some(est) = r.estimate.filter(|e| e.is_finite()) else {
            continue;
        };
        let e = acc
            .entry(r.country)
            .or_insert((0.0, Vec::new(), &r.provenance));
        if !e.1.contains(&r.dimension) {
            e.0 += est;
            e.1.push(r.dimension);
        }
    }
    acc.into_iter()
        .filter_map(|(country, (sum, dims, prov))| {
            let n = dims.len();
            let mean = sum / n as f64;
            let scaled = wgi_scaled(mean).ok()?;
            Some((
                country,
                WgiScore {
                    country,
                    year,
                    mean_estimate: mean,
                    scaled,
                    dimensions: n,
                    input: InputRef::published(
                        "WGI estimates (mean of the six, rescaled 0-10)",
                        prov,
                        Some(year),
                        n < WgiDimension::ALL.len(),
                    ),
                },
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// HHI_WGI,t
// ---------------------------------------------------------------------------------------------

/// The trade variable of an EU-27 producer when the table leaves it empty.
pub const T_EU_PRODUCER: f64 = 0.8;
/// The trade variable of any other producer when the table leaves it empty.
pub const T_DEFAULT: f64 = 1.0;
/// How far the listed shares of a supply may sum above 1: the published shares are rounded to
/// 0.1 percentage point (gallium processing in the 2023 tables adds up to 100.1 %).
pub const SHARE_SUM_TOLERANCE: f64 = 0.02;

/// The 27 members of the European Union since 1 February 2020 (ISO 3166-1 alpha-3).
pub const EU27: [&str; 27] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
];

/// True for a member of the EU-27.
pub fn is_eu27_member(country: CountryCode) -> bool {
    EU27.contains(&country.as_str())
}

/// The default trade variable of a country when the table gives none: [`T_EU_PRODUCER`] for
/// the EU-27, [`T_DEFAULT`] otherwise.
pub fn default_t(country: CountryCode) -> f64 {
    if is_eu27_member(country) {
        T_EU_PRODUCER
    } else {
        T_DEFAULT
    }
}

/// One supplier of a material at a stage, as `HHI_WGI,t` needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuSupplier {
    /// The supplying country, when known (only for reporting).
    pub country: Option<CountryCode>,
    /// Its share of the supply, a fraction in `0..=1`.
    pub share: f64,
    /// Its governance on the EU scale, `0..=10` ([`wgi_scaled`]).
    pub wgi: f64,
    /// The trade-related variable (> 0; 0.8 EU, 1.0 default, > 1 export restrictions).
    pub t: f64,
}

/// `HHI_WGI,t` with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HhiWgiT {
    /// `Σ S_c² · WGI_c · t_c`.
    pub value: f64,
    /// The plain HHI on fractions, `Σ S_c²`.
    pub hhi: f64,
    /// The sum of the listed suppliers' shares (from records: with the unattributed share,
    /// and `<0.1%` shares at their bound 0.001).
    pub share_sum: f64,
    /// The largest `t` among the suppliers (the upper bound is `10 · max_t`).
    pub max_t: f64,
    /// The number of suppliers.
    pub suppliers: usize,
    /// The share of aggregate rows ("Other", "EU") left out of the sum: not one supplier.
    pub unattributed_share: f64,
    /// The inputs it rests on.
    pub inputs: Vec<InputRef>,
}

/// Computes `HHI_WGI,t = Σ S_c² · WGI_c · t_c` (EU 2017 guidelines, supply risk).
///
/// Errors: a share outside `0..=1`, shares summing above `1 + SHARE_SUM_TOLERANCE`, a WGI
/// outside `0..=10`, a `t` that is not positive, or no supplier. The result lies in
/// `0..=10 · max t` when the shares sum to at most one.
///
/// ```
/// use orewatch_core::metrics::eu::{hhi_wgi_t, EuSupplier};
/// // 60 % from a country with WGI 5.0 (t 1.0), 40 % from an EU member with WGI 2.0 (t 0.8):
/// // 0.36 · 5 · 1 + 0.16 · 2 · 0.8 = 2.056.
/// let s = [
///     EuSupplier { country: None, share: 0.6, wgi: 5.0, t: 1.0 },
///     EuSupplier { country: None, share: 0.4, wgi: 2.0, t: 0.8 },
/// ];
/// let h = hhi_wgi_t(&s).unwrap();
/// assert!((h.value - 2.056).abs() < 1e-12);
/// assert!((h.hhi - 0.52).abs() < 1e-12);
/// ```
pub fn hhi_wgi_t(suppliers: &[EuSupplier]) -> Result<HhiWgiT> {
    hhi_wgi_t_with_bounds(suppliers, 0.0)
}

/// [`hhi_wgi_t`] where `bounded` of the suppliers' shares are upper bounds (the `<0.1%` rows
/// of the EU tables, entered at 0.001): the check that the shares sum to at most one counts
/// them at their lower bound, 0 ([`hhi_wgi_t_from_shares`] does the same from records).
pub fn hhi_wgi_t_with_bounds(suppliers: &[EuSupplier], bounded: f64) -> Result<HhiWgiT> {
    let h = hhi_wgi_t_terms(suppliers)?;
    check_share_sum(h.share_sum - bounded)?;
    Ok(h)
}

/// Shares summing above `1 + SHARE_SUM_TOLERANCE` are an error.
fn check_share_sum(sum: f64) -> Result<()> {
    if sum > 1.0 + SHARE_SUM_TOLERANCE {
        return Err(Error::OutOfRange {
            what: "sum of supply shares",
            expected: "at most 1 (plus rounding tolerance 0.02)",
            value: sum,
        });
    }
    Ok(())
}

/// [`hhi_wgi_t`] without the check of the share sum, which its callers make on the sum they
/// can vouch for.
fn hhi_wgi_t_terms(suppliers: &[EuSupplier]) -> Result<HhiWgiT> {
    if suppliers.is_empty() {
        return Err(Error::NoData {
            what: "HHI_WGI,t needs at least one supplier".into(),
        });
    }
    let (mut value, mut hhi, mut share_sum, mut max_t) = (0.0, 0.0, 0.0, 0.0f64);
    for s in suppliers {
        check_fraction("supplier share", s.share)?;
        if !(s.wgi.is_finite() && (0.0..=10.0).contains(&s.wgi)) {
            return Err(Error::OutOfRange {
                what: "scaled WGI",
                expected: "within 0..=10",
                value: s.wgi,
            });
        }
        if !(s.t.is_finite() && s.t > 0.0) {
            return Err(Error::OutOfRange {
                what: "trade variable t",
                expected: "finite and > 0",
                value: s.t,
            });
        }
        let sq = s.share * s.share;
        hhi += sq;
        value += sq * s.wgi * s.t;
        share_sum += s.share;
        max_t = max_t.max(s.t);
    }
    Ok(HhiWgiT {
        value,
        hhi,
        share_sum,
        max_t,
        suppliers: suppliers.len(),
        unattributed_share: 0.0,
        inputs: Vec::new(),
    })
}

/// Computes `HHI_WGI,t` of one material × stage × scope from the EU CRM 2023 supply-share
/// records (Appendix 7) and WGI scores ([`wgi_scores`]).
///
/// - Aggregate rows ("Other", "EU") are not one supplier: their share goes to
///   [`HhiWgiT::unattributed_share`], not into the sum.
/// - A `<0.1%` share enters as its bound 0.001, flagged as estimated. The check that the
///   shares sum to at most one (plus rounding) counts such rows at their lower bound, 0: a
///   table with 30 `<0.1%` rows beside exact shares summing to 100 % is consistent, though
///   its bounds add up to 103 % (EU CRM 2023: antimony and iron ore processing, among others).
/// - An empty `t` becomes [`default_t`], flagged as assumed.
/// - Records of more than one material, stage or scope, and a supplier without a WGI score,
///   are errors (the WGI year is the caller's choice and must cover every supplier).
pub fn hhi_wgi_t_from_shares(
    shares: &[EuSupplyShare],
    wgi: &BTreeMap<CountryCode, WgiScore>,
) -> Result<HhiWgiT> {
    let Some(first) = shares.first() else {
        return Err(Error::NoData {
            what: "no supply-share records".into(),
        });
    };
    let mut suppliers = Vec::with_capacity(shares.len());
    let mut inputs = Vec::new();
    let mut unattributed = 0.0;
    // The shares entered at an upper bound (`<0.1%`).
    let mut bounded = 0.0;
    let scope_name = match first.scope {
        crate::model::eu::SupplyScope::Global => "global supply shares",
        crate::model::eu::SupplyScope::EuSourcing => "EU sourcing shares",
    };
    for r in shares {
        if r.material != first.material
            || r.stage != first.stage
            || r.scope != first.scope
            || r.assessment != first.assessment
        {
            return Err(Error::NoData {
                what: format!(
                    "supply shares mix {} {} {} ({}) with {} {} {} ({}): pass one assessment, \
                     material, stage and scope at a time",
                    first.material,
                    first.stage,
                    first.scope,
                    first.assessment,
                    r.material,
                    r.stage,
                    r.scope,
                    r.assessment
                ),
            });
        }
        check_fraction("supplier share", r.share)?;
        let estimated = r.qualifier != Qualifier::Exact;
        if r.qualifier == Qualifier::AtMost {
            bounded += r.share;
        }
        merge_input(
            &mut inputs,
            InputRef::published(scope_name, &r.provenance, None, estimated),
        );
        let country = match r.party {
            Party::Country(c) => c,
            Party::Aggregate(_) => {
                unattributed += r.share;
                continue;
            }
        };
        let score = wgi.get(&country).ok_or_else(|| Error::NoData {
            what: format!(
                "no WGI score for {country} ({}), a supplier of {} ({})",
                r.country_raw, r.material, r.stage
            ),
        })?;
        merge_input(&mut inputs, score.input.clone());
        let t = match r.t {
            Some(t) => {
                merge_input(
                    &mut inputs,
                    InputRef::published("trade variable t", &r.provenance, None, false),
                );
                t
            }
            None => {
                merge_input(
                    &mut inputs,
                    InputRef::assumed(
                        "trade variable t",
                        "EU CRM guidelines 2017: 0.8 for EU producers, 1.0 otherwise",
                    ),
                );
                default_t(country)
            }
        };
        suppliers.push(EuSupplier {
            country: Some(country),
            share: r.share,
            wgi: score.scaled,
            t,
        });
    }
    let mut h = hhi_wgi_t_terms(&suppliers)?;
    h.unattributed_share = unattributed;
    h.share_sum += unattributed;
    check_share_sum(h.share_sum - bounded)?;
    h.inputs = inputs;
    Ok(h)
}

// ---------------------------------------------------------------------------------------------
// Supply risk
// ---------------------------------------------------------------------------------------------

/// The supply-risk threshold of the EU lists (2017 guidelines).
pub const SR_THRESHOLD: f64 = 1.0;
/// The economic-importance threshold of the EU lists (2017 guidelines).
pub const EI_THRESHOLD: f64 = 2.8;

/// The components of an EU supply-risk score. `None` stands for a component the assessment
/// does not have (`N/A`); which ones are needed depends on `supply_used`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuSrInputs {
    /// `HHI_WGI,t` of the global supply (0–10 scale).
    pub hhi_wgi_t_global: Option<f64>,
    /// `HHI_WGI,t` of the EU sourcing.
    pub hhi_wgi_t_eu: Option<f64>,
    /// EU import reliance as a fraction (negative for a net exporter, read as 0).
    pub import_reliance: Option<f64>,
    /// End-of-life recycling input rate, a fraction.
    pub eol_rir: Option<f64>,
    /// Substitution index for supply risk, `0..=1`.
    pub si_sr: Option<f64>,
    /// Which supply the score weighs: both, or one alone.
    pub supply_used: SupplyUsed,
    /// Where the components came from; passed through to the result.
    pub inputs: Vec<InputRef>,
}

impl From<&Eu2017Input> for EuSrInputs {
    fn from(r: &Eu2017Input) -> Self {
        EuSrInputs {
            hhi_wgi_t_global: r.hhi_wgi_t_global,
            hhi_wgi_t_eu: r.hhi_wgi_t_eu,
            import_reliance: r.import_reliance,
            eol_rir: r.eol_rir,
            si_sr: r.si_sr,
            supply_used: r.supply_used,
            inputs: vec![InputRef::published(
                "SR components (2017 study, Table 3 and Annex 5 Table 18)",
                &r.provenance,
                None,
                false,
            )],
        }
    }
}

/// An EU supply-risk score with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuSupplyRisk {
    /// `SR`.
    pub value: f64,
    /// The bracket: `HHI_GS · IR/2 + HHI_EUS · (1 − IR/2)`, or the one HHI used.
    pub supply_term: f64,
    /// The weight of the global supply in the bracket (`IR/2`; 1 for `GS only`, 0 for
    /// `EUS only`).
    pub global_weight: f64,
    /// The import reliance used, after a negative value was read as 0; `None` when the
    /// formula did not need it.
    pub import_reliance: Option<f64>,
    /// `EOL_RIR`.
    pub eol_rir: f64,
    /// `SI_SR`.
    pub si_sr: f64,
    /// Which supply was used.
    pub supply_used: SupplyUsed,
    /// The inputs it rests on (from [`EuSrInputs::inputs`]).
    pub inputs: Vec<InputRef>,
}

/// Computes the EU supply risk (2017 guidelines, supply risk):
/// `SR = [HHI_GS · IR/2 + HHI_EUS · (1 − IR/2)] · (1 − EOL_RIR) · SI_SR`.
///
/// For [`SupplyUsed::GlobalOnly`] the bracket is `HHI_GS`, for [`SupplyUsed::EuOnly`] it is
/// `HHI_EUS`, and neither needs IR. Errors: a component the formula needs is `None`
/// ([`Error::NoData`] naming it); an HHI that is negative or not finite; IR above 1; EOL_RIR or
/// SI_SR outside `0..=1`.
///
/// ```
/// use orewatch_core::metrics::eu::{supply_risk, EuSrInputs};
/// use orewatch_core::model::eu::SupplyUsed;
/// // Gallium, EU 2017 study Table 3: GS 3.5, EUS 1.1, IR 34 %, EOL-RIR 0, SI_SR 1.0.
/// let sr = supply_risk(&EuSrInputs {
///     hhi_wgi_t_global: Some(3.5),
///     hhi_wgi_t_eu: Some(1.1),
///     import_reliance: Some(0.34),
///     eol_rir: Some(0.0),
///     si_sr: Some(1.0),
///     supply_used: SupplyUsed::GlobalAndEu,
///     inputs: vec![],
/// })
/// .unwrap();
/// // 3.5 · 0.17 + 1.1 · 0.83 = 1.508 (published, from unrounded inputs: 1.4).
/// assert!((sr.value - 1.508).abs() < 1e-12);
/// ```
pub fn supply_risk(inputs: &EuSrInputs) -> Result<EuSupplyRisk> {
    let need = |v: Option<f64>, name: &str| -> Result<f64> {
        v.ok_or_else(|| Error::NoData {
            what: format!(
                "supply risk ({}) needs {name}, which is N/A",
                inputs.supply_used.as_published()
            ),
        })
    };
    let hhi = |v: Option<f64>, name: &str| -> Result<f64> {
        let v = need(v, name)?;
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::OutOfRange {
                what: "HHI_WGI,t",
                expected: "finite and ≥ 0",
                value: v,
            });
        }
        Ok(v)
    };
    let eol_rir = need(inputs.eol_rir, "EOL_RIR")?;
    check_fraction("EOL_RIR", eol_rir)?;
    let si_sr = need(inputs.si_sr, "SI_SR")?;
    check_fraction("SI_SR", si_sr)?;
    let (supply_term, global_weight, ir_used) = match inputs.supply_used {
        SupplyUsed::GlobalOnly => (hhi(inputs.hhi_wgi_t_global, "HHI_WGI,t (GS)")?, 1.0, None),
        SupplyUsed::EuOnly => (hhi(inputs.hhi_wgi_t_eu, "HHI_WGI,t (EUS)")?, 0.0, None),
        SupplyUsed::GlobalAndEu => {
            let gs = hhi(inputs.hhi_wgi_t_global, "HHI_WGI,t (GS)")?;
            let eus = hhi(inputs.hhi_wgi_t_eu, "HHI_WGI,t (EUS)")?;
            let ir = need(inputs.import_reliance, "the import reliance")?;
            if !ir.is_finite() || ir > 1.0 {
                return Err(Error::OutOfRange {
                    what: "import reliance",
                    expected: "a fraction ≤ 1 (negative for a net exporter)",
                    value: ir,
                });
            }
            let ir = ir.max(0.0);
            let w = ir / 2.0;
            (gs * w + eus * (1.0 - w), w, Some(ir))
        }
    };
    Ok(EuSupplyRisk {
        value: supply_term * (1.0 - eol_rir) * si_sr,
        supply_term,
        global_weight,
        import_reliance: ir_used,
        eol_rir,
        si_sr,
        supply_used: inputs.supply_used,
        inputs: inputs.inputs.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// Economic importance
// ---------------------------------------------------------------------------------------------

/// The value added of NACE C28 (manufacture of machinery and equipment n.e.c.), in million
/// euros: the largest NACE 2-digit manufacturing sector of the EU CRM 2023 study (Appendix 6),
/// and so the `max Q` that scales the 2023 EI to 0–10.
pub const C28_VALUE_ADDED_2023_MEUR: f64 = 204_200.0;

/// One end use of a material: its share of the EU use, and the value added of the NACE
/// 2-digit sector it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuEndUse {
    /// The share of the material's EU use, a fraction.
    pub share: f64,
    /// The sector's value added (M€); `None` for uses the study leaves unallocated ("Other"),
    /// which contribute nothing.
    pub value_added: Option<f64>,
}

/// The inputs of an EU economic-importance score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuEiInputs {
    /// The end uses (shares summing to at most one, within rounding).
    pub uses: Vec<EuEndUse>,
    /// The value added of the largest NACE 2-digit manufacturing sector (M€), e.g.
    /// [`C28_VALUE_ADDED_2023_MEUR`].
    pub max_value_added: f64,
    /// Substitution index for economic importance, `0..=1`.
    pub si_ei: f64,
    /// Where the uses, value added and `SI_EI` came from; passed through to the result.
    pub inputs: Vec<InputRef>,
}

/// An EU economic-importance score with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuEconomicImportance {
    /// `EI = SI_EI · 10 · Σ A_s · Q_s / max Q`.
    pub value: f64,
    /// `Σ A_s · Q_s`, in M€.
    pub weighted_value_added: f64,
    /// The share of uses allocated to a sector.
    pub allocated_share: f64,
    /// The share of uses without a sector ("Other").
    pub unallocated_share: f64,
    /// `max Q` (M€).
    pub max_value_added: f64,
    /// `SI_EI`.
    pub si_ei: f64,
    /// The inputs it rests on (from [`EuEiInputs::inputs`]).
    pub inputs: Vec<InputRef>,
}

/// Computes the EU economic importance (2017 guidelines, economic importance):
/// `EI = SI_EI · 10 · Σ_s A_s · Q_s / max Q`.
///
/// Errors: a share outside `0..=1` or shares summing above `1 + SHARE_SUM_TOLERANCE`, a value
/// added that is negative or above `max Q`, `max Q ≤ 0`, `SI_EI` outside `0..=1`, no use.
///
/// ```
/// use orewatch_core::metrics::eu::{economic_importance, EuEiInputs, EuEndUse};
/// // Gallium, EU CRM 2023 Appendix 6: 75 % in C26 (77,000 M€), 25 % in C27 (89,422 M€);
/// // with SI_EI = 1: 10 · (0.75 · 77,000 + 0.25 · 89,422) / 204,200 = 3.92289…
/// let ei = economic_importance(&EuEiInputs {
///     uses: vec![
///         EuEndUse { share: 0.75, value_added: Some(77_000.0) },
///         EuEndUse { share: 0.25, value_added: Some(89_422.0) },
///     ],
///     max_value_added: 204_200.0,
///     si_ei: 1.0,
///     inputs: vec![],
/// })
/// .unwrap();
/// assert!((ei.value - 3.922_894_221).abs() < 1e-6);
/// ```
pub fn economic_importance(inputs: &EuEiInputs) -> Result<EuEconomicImportance> {
    if inputs.uses.is_empty() {
        return Err(Error::NoData {
            what: "economic importance needs at least one end use".into(),
        });
    }
    let max_q = inputs.max_value_added;
    if !(max_q.is_finite() && max_q > 0.0) {
        return Err(Error::OutOfRange {
            what: "largest sector value added",
            expected: "finite and > 0",
            value: max_q,
        });
    }
    check_fraction("SI_EI", inputs.si_ei)?;
    let (mut weighted, mut allocated, mut unallocated) = (0.0, 0.0, 0.0);
    for u in &inputs.uses {
        check_fraction("end-use share", u.share)?;
        match u.value_added {
            Some(q) => {
                if !(q.is_finite() && (0.0..=max_q).contains(&q)) {
                    return Err(Error::OutOfRange {
                        what: "sector value added",
                        expected: "within 0..=the largest sector's value added",
                        value: q,
                    });
                }
                weighted += u.share * q;
                allocated += u.share;
            }
            None => unallocated += u.share,
        }
    }
    if allocated + unallocated > 1.0 + SHARE_SUM_TOLERANCE {
        return Err(Error::OutOfRange {
            what: "sum of end-use shares",
            expected: "at most 1 (plus rounding tolerance 0.02)",
            value: allocated + unallocated,
        });
    }
    Ok(EuEconomicImportance {
        value: inputs.si_ei * 10.0 * weighted / max_q,
        weighted_value_added: weighted,
        allocated_share: allocated,
        unallocated_share: unallocated,
        max_value_added: max_q,
        si_ei: inputs.si_ei,
        inputs: inputs.inputs.clone(),
    })
}

/// The end uses of one material from the EU CRM 2023 use-share records (Appendix 6), with the
/// inputs they rest on. `>0%` shares enter as 0, flagged as estimated.
///
/// Errors: no record, or records of more than one material.
pub fn end_uses_from_shares(records: &[EuEndUseShare]) -> Result<(Vec<EuEndUse>, Vec<InputRef>)> {
    let Some(first) = records.first() else {
        return Err(Error::NoData {
            what: "no end-use records".into(),
        });
    };
    let mut uses = Vec::with_capacity(records.len());
    let mut inputs = Vec::new();
    for r in records {
        if r.material != first.material {
            return Err(Error::NoData {
                what: format!(
                    "end uses mix {} with {}: pass one material at a time",
                    first.material, r.material
                ),
            });
        }
        merge_input(
            &mut inputs,
            InputRef::published(
                "end-use shares and NACE value added",
                &r.provenance,
                None,
                r.qualifier != Qualifier::Exact,
            ),
        );
        if r.sector.is_some() && r.value_added_meur.is_none() {
            // Mapped to a sector whose value added is not given: it contributes 0 to EI,
            // like an unallocated share, and says so.
            merge_input(
                &mut inputs,
                InputRef::assumed(
                    "value added of a mapped sector",
                    "orewatch: 0 when the table maps an end use to a sector without its value added",
                ),
            );
        }
        uses.push(EuEndUse {
            share: r.share,
            value_added: r.sector.as_ref().and(r.value_added_meur),
        });
    }
    Ok((uses, inputs))
}

/// The NACE sector with the largest value added among the records (the `max Q` of the EI),
/// with that value added; `None` when no record has one.
pub fn largest_sector(records: &[EuEndUseShare]) -> Option<(&NaceSector, f64)> {
    records
        .iter()
        .filter_map(|r| Some((r.sector.as_ref()?, r.value_added_meur?)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.code.cmp(&a.0.code)))
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

/// The EU rule: critical when `SR ≥ 1.0` and `EI ≥ 2.8`.
///
/// ```
/// use orewatch_core::metrics::eu::is_critical;
/// assert!(is_critical(1.0, 2.8));
/// assert!(!is_critical(1.0, 2.3)); // coking coal 2017: EI below the threshold
/// ```
pub fn is_critical(sr: f64, ei: f64) -> bool {
    sr >= SR_THRESHOLD && ei >= EI_THRESHOLD
}

/// A material to classify: its scores and, for grouped materials, its group ("LREE").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuCandidate {
    /// The material.
    pub name: String,
    /// The group it is assessed in (LREE, HREE, PGM), `None` when assessed alone.
    pub group: Option<String>,
    /// Its supply risk.
    pub sr: f64,
    /// Its economic importance.
    pub ei: f64,
    /// Where the scores came from; merged into the classification.
    pub inputs: Vec<InputRef>,
}

/// The classification of a material or of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuClassification {
    /// The material, or the group's name.
    pub name: String,
    /// The group's members (the material itself when assessed alone).
    pub members: Vec<String>,
    /// The SR (the members' mean for a group).
    pub sr: f64,
    /// The EI (the members' mean for a group).
    pub ei: f64,
    /// [`is_critical`] on `sr` and `ei`.
    pub critical: bool,
    /// The inputs of the members' scores, merged.
    pub inputs: Vec<InputRef>,
}

/// Classifies materials by the EU rule, grouped materials on the means of their members'
/// scores (one row per group, at the position of its first member). Errors: a score that is
/// negative or not finite.
///
/// ```
/// use orewatch_core::metrics::eu::{classify, EuCandidate};
/// let c = |name: &str, group: Option<&str>, sr, ei| EuCandidate {
///     name: name.into(), group: group.map(Into::into), sr, ei, inputs: vec![],
/// };
/// let out = classify(&[
///     c("Palladium", Some("PGM"), 1.7, 5.6),
///     c("Feldspar", None, 0.6, 2.4),
///     c("Ruthenium", Some("PGM"), 3.4, 3.5),
/// ])
/// .unwrap();
/// assert_eq!(out[0].name, "PGM");
/// assert!((out[0].sr - 2.55).abs() < 1e-12 && out[0].critical);
/// assert!(!out[1].critical);
/// ```
pub fn classify(candidates: &[EuCandidate]) -> Result<Vec<EuClassification>> {
    let mut out: Vec<EuClassification> = Vec::new();
    let mut group_rows: BTreeMap<&str, usize> = BTreeMap::new();
    for c in candidates {
        for (what, v) in [("supply risk", c.sr), ("economic importance", c.ei)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::OutOfRange {
                    what,
                    expected: "finite and ≥ 0",
                    value: v,
                });
            }
        }
        match c.group.as_deref() {
            None => out.push(EuClassification {
                name: c.name.clone(),
                members: vec![c.name.clone()],
                sr: c.sr,
                ei: c.ei,
                critical: false,
                inputs: c.inputs.clone(),
            }),
            Some(g) => match group_rows.get(g) {
                Some(&i) => {
                    out[i].members.push(c.name.clone());
                    out[i].sr += c.sr;
                    out[i].ei += c.ei;
                    for r in &c.inputs {
                        merge_input(&mut out[i].inputs, r.clone());
                    }
                }
                None => {
                    group_rows.insert(g, out.len());
                    out.push(EuClassification {
                        name: g.to_string(),
                        members: vec![c.name.clone()],
                        sr: c.sr,
                        ei: c.ei,
                        critical: false,
                        inputs: c.inputs.clone(),
                    });
                }
            },
        }
    }
    for &i in group_rows.values() {
        let n = out[i].members.len() as f64;
        out[i].sr /= n;
        out[i].ei /= n;
    }
    for row in &mut out {
        row.critical = is_critical(row.sr, row.ei);
    }
    Ok(out)
}

fn check_fraction(what: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what,
            expected: "a fraction in 0..=1",
            value: v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;
    use crate::model::eu::SupplyScope;
    use proptest::prelude::*;

    fn prov(source: &str, release: &str) -> Provenance {
        Provenance {
            source: source.into(),
            release: release.into(),
            file: "t.csv".into(),
            line: 2,
        }
    }

    fn sr_inputs(supply_used: SupplyUsed) -> EuSrInputs {
        // Cerium, EU 2017 study Table 3 / Annex 5 Table 18.
        EuSrInputs {
            hhi_wgi_t_global: Some(9.2),
            hhi_wgi_t_eu: Some(2.6),
            import_reliance: Some(1.0),
            eol_rir: Some(0.01),
            si_sr: Some(1.0),
            supply_used,
            inputs: vec![],
        }
    }

    #[test]
    fn wgi_rescaling_is_linear_and_reversed() {
        assert_eq!(wgi_scaled(-2.5).unwrap(), 10.0);
        assert_eq!(wgi_scaled(2.5).unwrap(), 0.0);
        assert_eq!(wgi_scaled(1.0).unwrap(), 3.0);
        assert_eq!(wgi_scaled(-3.1).unwrap(), 10.0);
        assert!(wgi_scaled(f64::NAN).is_err());
    }

    #[test]
    fn wgi_scores_average_the_dimensions_of_the_year() {
        let c: CountryCode = "CHN".parse().unwrap();
        let p = prov("World Bank WGI", "2023 update");
        let mut recs = Vec::new();
        // Estimates 0.0, −0.6 (and a 2022 record that must be ignored): mean −0.3 → 5.6,
        // two dimensions of six, so estimated.
        for (d, e, y) in [
            (WgiDimension::VoiceAndAccountability, 0.0, 2021),
            (WgiDimension::RuleOfLaw, -0.6, 2021),
            (WgiDimension::RuleOfLaw, 2.0, 2022),
        ] {
            let mut r = GovernanceRecord::new(c, y, d, p.clone());
            r.estimate = Some(e);
            recs.push(r);
        }
        let s = &wgi_scores(&recs, 2021)[&c];
        assert!((s.scaled - 5.6).abs() < 1e-12);
        assert_eq!(s.dimensions, 2);
        assert!(s.input.estimated);
        assert_eq!(s.input.year, Some(2021));
        assert!(wgi_scores(&recs, 2019).is_empty());
    }

    #[test]
    fn hhi_wgi_t_of_a_single_worst_supplier_is_ten_times_t() {
        let s = [EuSupplier {
            country: None,
            share: 1.0,
            wgi: 10.0,
            t: 1.2,
        }];
        assert!((hhi_wgi_t(&s).unwrap().value - 12.0).abs() < 1e-12);
    }

    #[test]
    fn hhi_wgi_t_rejects_bad_inputs() {
        let ok = EuSupplier {
            country: None,
            share: 0.5,
            wgi: 5.0,
            t: 1.0,
        };
        let bad = |f: fn(&mut EuSupplier)| {
            let mut s = ok.clone();
            f(&mut s);
            hhi_wgi_t(&[s]).is_err()
        };
        assert!(bad(|s| s.share = 1.2));
        assert!(bad(|s| s.share = -0.1));
        assert!(bad(|s| s.wgi = 10.5));
        assert!(bad(|s| s.t = 0.0));
        assert!(bad(|s| s.t = f64::INFINITY));
        assert!(hhi_wgi_t(&[]).is_err());
        // 0.6 + 0.5 = 1.1: more than the whole supply.
        let mut big = ok.clone();
        big.share = 0.6;
        assert!(hhi_wgi_t(&[ok, big]).is_err());
    }

    fn share(country: &str, share: f64, t: Option<f64>, q: Qualifier) -> EuSupplyShare {
        let party = match country {
            "Other" => Party::Aggregate(crate::model::Aggregate::OtherCountries),
            c => Party::Country(c.parse().unwrap()),
        };
        EuSupplyShare {
            assessment: "EU CRM 2023".into(),
            scope: SupplyScope::Global,
            material: "X".into(),
            mineral: None,
            stage: Stage::Mining,
            party,
            country_raw: country.into(),
            share,
            share_raw: String::new(),
            qualifier: q,
            t,
            repair: None,
            provenance: prov("EU CRM", "2023"),
        }
    }

    fn score(c: &str, scaled: f64) -> (CountryCode, WgiScore) {
        let country: CountryCode = c.parse().unwrap();
        (
            country,
            WgiScore {
                country,
                year: 2021,
                mean_estimate: (5.0 - scaled) / 2.0,
                scaled,
                dimensions: 6,
                input: InputRef::published(
                    "WGI",
                    &prov("World Bank WGI", "2023 update"),
                    Some(2021),
                    false,
                ),
            },
        )
    }

    #[test]
    fn shares_with_aggregates_bounds_and_missing_t() {
        let wgi: BTreeMap<_, _> = [score("CHN", 5.5), score("FIN", 1.0)].into();
        let rows = [
            share("CHN", 0.7, Some(1.1), Qualifier::Exact),
            // t missing for an EU member: 0.8 assumed.
            share("FIN", 0.2, None, Qualifier::Exact),
            share("Other", 0.1, None, Qualifier::Exact),
        ];
        let h = hhi_wgi_t_from_shares(&rows, &wgi).unwrap();
        // 0.49 · 5.5 · 1.1 + 0.04 · 1.0 · 0.8 = 2.9645 + 0.032 = 2.9965.
        assert!((h.value - 2.9965).abs() < 1e-12, "{}", h.value);
        assert!((h.unattributed_share - 0.1).abs() < 1e-12);
        assert_eq!(h.suppliers, 2);
        assert!(any_estimated(&h.inputs), "the assumed t is flagged");
        assert!(
            h.inputs
                .iter()
                .any(|r| r.origin == InputOrigin::Assumed && r.input == "trade variable t")
        );
        // A supplier without a WGI score is an error naming it.
        let e = hhi_wgi_t_from_shares(&[share("COD", 0.5, Some(1.0), Qualifier::Exact)], &wgi)
            .unwrap_err();
        assert!(e.to_string().contains("COD"), "{e}");
        // Mixed materials are refused.
        let mut other = share("CHN", 0.1, Some(1.0), Qualifier::Exact);
        other.material = "Y".into();
        assert!(hhi_wgi_t_from_shares(&[rows[0].clone(), other], &wgi).is_err());
        // Mixed assessments are refused too.
        let mut older = rows[0].clone();
        older.assessment = "EU CRM 2020".into();
        assert!(hhi_wgi_t_from_shares(&[rows[1].clone(), older], &wgi).is_err());
        // A `<0.1%` bound is flagged as estimated.
        let h = hhi_wgi_t_from_shares(&[share("CHN", 0.001, Some(1.0), Qualifier::AtMost)], &wgi)
            .unwrap();
        assert!(
            h.inputs
                .iter()
                .any(|r| r.estimated && r.input == "global supply shares")
        );
        // Bounds count at 0 in the share-sum check: exact shares of 100 % beside 30 `<0.1%`
        // rows (103 % at their bounds) are consistent; exact shares of 103 % are not.
        let mut bounded = vec![share("CHN", 0.7, Some(1.0), Qualifier::Exact)];
        bounded.push(share("FIN", 0.3, Some(0.8), Qualifier::Exact));
        bounded.extend((0..30).map(|_| share("FIN", 0.001, Some(0.8), Qualifier::AtMost)));
        let h = hhi_wgi_t_from_shares(&bounded, &wgi).unwrap();
        assert!((h.share_sum - 1.03).abs() < 1e-9, "{}", h.share_sum);
        bounded.truncate(2);
        bounded.push(share("FIN", 0.03, Some(0.8), Qualifier::Exact));
        assert!(hhi_wgi_t_from_shares(&bounded, &wgi).is_err());
    }

    #[test]
    fn a_mapped_sector_without_value_added_is_flagged() {
        let row = |application: &str, share: f64, va: Option<f64>| EuEndUseShare {
            assessment: "EU CRM 2023".into(),
            material: "X".into(),
            mineral: None,
            application: application.into(),
            share,
            share_raw: String::new(),
            qualifier: Qualifier::Exact,
            sector: Some(NaceSector {
                code: "C28".into(),
                name: "Manufacture of machinery and equipment n.e.c.".into(),
            }),
            sector_raw: "C28".into(),
            value_added_meur: va,
            repair: None,
            provenance: prov("EU CRM", "2023"),
        };
        let (uses, inputs) = end_uses_from_shares(&[row("magnets", 1.0, Some(204_200.0))]).unwrap();
        assert_eq!(uses[0].value_added, Some(204_200.0));
        assert!(!any_estimated(&inputs));
        let (uses, inputs) = end_uses_from_shares(&[row("magnets", 1.0, None)]).unwrap();
        assert_eq!(uses[0].value_added, None);
        assert!(inputs.iter().any(
            |r| r.origin == InputOrigin::Assumed && r.input == "value added of a mapped sector"
        ));
    }

    #[test]
    fn supply_risk_weights_global_and_eu_by_half_import_reliance() {
        // (9.2 · 0.5 + 2.6 · 0.5) · 0.99 · 1.0 = 5.841
        let sr = supply_risk(&sr_inputs(SupplyUsed::GlobalAndEu)).unwrap();
        assert!((sr.value - 5.841).abs() < 1e-12, "{}", sr.value);
        assert!((sr.supply_term - 5.9).abs() < 1e-12);
        assert_eq!(sr.global_weight, 0.5);
        // GS only: 9.2 · 0.99; EUS only: 2.6 · 0.99; neither needs IR.
        let mut gs = sr_inputs(SupplyUsed::GlobalOnly);
        gs.import_reliance = None;
        assert!((supply_risk(&gs).unwrap().value - 9.108).abs() < 1e-12);
        let mut eus = sr_inputs(SupplyUsed::EuOnly);
        eus.import_reliance = None;
        eus.hhi_wgi_t_global = None;
        assert!((supply_risk(&eus).unwrap().value - 2.574).abs() < 1e-12);
    }

    #[test]
    fn negative_import_reliance_counts_as_zero() {
        // A net exporter: only the EU sourcing counts. 2.6 · 0.99 = 2.574.
        let mut i = sr_inputs(SupplyUsed::GlobalAndEu);
        i.import_reliance = Some(-0.4);
        let sr = supply_risk(&i).unwrap();
        assert!((sr.value - 2.574).abs() < 1e-12);
        assert_eq!(sr.import_reliance, Some(0.0));
    }

    #[test]
    fn missing_or_bad_components_are_errors() {
        let mut i = sr_inputs(SupplyUsed::GlobalAndEu);
        i.hhi_wgi_t_eu = None;
        let e = supply_risk(&i).unwrap_err();
        assert!(e.to_string().contains("EUS"), "{e}");
        let mut i = sr_inputs(SupplyUsed::GlobalAndEu);
        i.import_reliance = None;
        assert!(
            supply_risk(&i)
                .unwrap_err()
                .to_string()
                .contains("import reliance")
        );
        let mut i = sr_inputs(SupplyUsed::GlobalAndEu);
        i.import_reliance = Some(1.3);
        assert!(supply_risk(&i).is_err());
        let mut i = sr_inputs(SupplyUsed::GlobalOnly);
        i.eol_rir = Some(1.5);
        assert!(supply_risk(&i).is_err());
        let mut i = sr_inputs(SupplyUsed::GlobalOnly);
        i.si_sr = None;
        assert!(supply_risk(&i).is_err());
        let mut i = sr_inputs(SupplyUsed::GlobalOnly);
        i.hhi_wgi_t_global = Some(-1.0);
        assert!(supply_risk(&i).is_err());
    }

    #[test]
    fn economic_importance_by_hand() {
        // 50 % at 204,200 M€, 30 % at 102,100 M€, 20 % unallocated, SI_EI 0.9:
        // Σ A·Q = 102,100 + 30,630 = 132,730; 10 · 132,730 / 204,200 = 6.5; · 0.9 = 5.85.
        let ei = economic_importance(&EuEiInputs {
            uses: vec![
                EuEndUse {
                    share: 0.5,
                    value_added: Some(204_200.0),
                },
                EuEndUse {
                    share: 0.3,
                    value_added: Some(102_100.0),
                },
                EuEndUse {
                    share: 0.2,
                    value_added: None,
                },
            ],
            max_value_added: C28_VALUE_ADDED_2023_MEUR,
            si_ei: 0.9,
            inputs: vec![],
        })
        .unwrap();
        assert!((ei.value - 5.85).abs() < 1e-12, "{}", ei.value);
        assert!((ei.weighted_value_added - 132_730.0).abs() < 1e-9);
        assert!((ei.unallocated_share - 0.2).abs() < 1e-12);
    }

    #[test]
    fn economic_importance_rejects_bad_inputs() {
        let base = EuEiInputs {
            uses: vec![EuEndUse {
                share: 0.5,
                value_added: Some(100.0),
            }],
            max_value_added: 200.0,
            si_ei: 1.0,
            inputs: vec![],
        };
        let bad = |f: fn(&mut EuEiInputs)| {
            let mut i = base.clone();
            f(&mut i);
            economic_importance(&i).is_err()
        };
        assert!(!bad(|_| {}));
        assert!(bad(|i| i.uses[0].share = 1.5));
        assert!(bad(|i| i.uses[0].value_added = Some(300.0)));
        assert!(bad(|i| i.max_value_added = 0.0));
        assert!(bad(|i| i.si_ei = 1.1));
        assert!(bad(|i| i.uses.clear()));
        assert!(bad(|i| i.uses.push(EuEndUse {
            share: 0.6,
            value_added: None
        })));
    }

    #[test]
    fn groups_take_the_mean_of_their_members() {
        let c = |name: &str, group: Option<&str>, sr: f64, ei: f64| EuCandidate {
            name: name.into(),
            group: group.map(Into::into),
            sr,
            ei,
            inputs: vec![],
        };
        // A member below the thresholds (0.8, 2.0) is carried by its group: mean (1.3, 3.0).
        let out = classify(&[
            c("A", Some("G"), 0.8, 2.0),
            c("B", None, 1.0, 2.7),
            c("C", Some("G"), 1.8, 4.0),
        ])
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].members, vec!["A", "C"]);
        assert!((out[0].sr - 1.3).abs() < 1e-12 && (out[0].ei - 3.0).abs() < 1e-12);
        assert!(out[0].critical);
        assert!(!out[1].critical, "EI 2.7 < 2.8");
        assert!(classify(&[c("X", None, f64::NAN, 3.0)]).is_err());
    }

    #[test]
    fn merged_inputs_or_their_estimate_flags() {
        let p = prov("EU CRM", "2023");
        let mut v = Vec::new();
        merge_input(&mut v, InputRef::published("s", &p, None, false));
        merge_input(&mut v, InputRef::published("s", &p, None, true));
        merge_input(&mut v, InputRef::published("s", &p, Some(2021), false));
        assert_eq!(v.len(), 2);
        assert!(v[0].estimated && !v[1].estimated);
    }

    fn suppliers(n: usize) -> impl Strategy<Value = Vec<EuSupplier>> {
        proptest::collection::vec((0.001f64..1.0, 0.0f64..=10.0, 0.5f64..2.0), 1..n).prop_map(|v| {
            let total: f64 = v.iter().map(|x| x.0).sum();
            v.into_iter()
                .map(|(s, wgi, t)| EuSupplier {
                    country: None,
                    share: s / total,
                    wgi,
                    t,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn hhi_wgi_t_lies_between_zero_and_ten_max_t(s in suppliers(30)) {
            let h = hhi_wgi_t(&s).unwrap();
            prop_assert!(h.value >= 0.0);
            prop_assert!(h.value <= 10.0 * h.max_t + 1e-9);
            prop_assert!(h.hhi <= 1.0 + 1e-9);
        }

        #[test]
        fn hhi_wgi_t_is_permutation_invariant(mut s in suppliers(30), k in 0usize..30) {
            let a = hhi_wgi_t(&s).unwrap();
            let len = s.len();
            s.rotate_left(k % len);
            s.reverse();
            let b = hhi_wgi_t(&s).unwrap();
            prop_assert!((a.value - b.value).abs() < 1e-9);
            prop_assert!((a.hhi - b.hhi).abs() < 1e-12);
        }

        #[test]
        fn sr_grows_with_import_reliance_when_global_is_riskier(
            eus in 0.0f64..10.0, gap in 0.0001f64..5.0, ir1 in -0.5f64..=1.0, ir2 in -0.5f64..=1.0,
            eol in 0.0f64..=1.0, si in 0.0f64..=1.0,
        ) {
            let at = |ir: f64| supply_risk(&EuSrInputs {
                hhi_wgi_t_global: Some(eus + gap),
                hhi_wgi_t_eu: Some(eus),
                import_reliance: Some(ir),
                eol_rir: Some(eol),
                si_sr: Some(si),
                supply_used: SupplyUsed::GlobalAndEu,
                inputs: vec![],
            }).unwrap().value;
            let (lo, hi) = if ir1 <= ir2 { (ir1, ir2) } else { (ir2, ir1) };
            prop_assert!(at(lo) <= at(hi) + 1e-12);
        }

        #[test]
        fn classification_ignores_the_order_of_group_members(
            scores in proptest::collection::vec((0.0f64..6.0, 0.0f64..8.0), 1..8)
        ) {
            let cands: Vec<_> = scores.iter().enumerate().map(|(i, (sr, ei))| EuCandidate {
                name: format!("m{i}"), group: Some("G".into()), sr: *sr, ei: *ei, inputs: vec![],
            }).collect();
            let mut rev = cands.clone();
            rev.reverse();
            let a = &classify(&cands).unwrap()[0];
            let b = &classify(&rev).unwrap()[0];
            prop_assert!((a.sr - b.sr).abs() < 1e-9 && (a.ei - b.ei).abs() < 1e-9);
            prop_assert_eq!(a.critical, b.critical);
        }
    }
}
