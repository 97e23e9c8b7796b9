//! Criticality and supply-risk metrics (`orewatch_core::metrics::{eu, import_reliance,
//! geopolrisk, usgs_lens}`) on the built-in data: each test reproduces a published figure or
//! checks a computation against a hand computation written in its comments (issue 3).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use orewatch_core::CountryCode;
use orewatch_core::metrics::eu::{
    self, C28_VALUE_ADDED_2023_MEUR, EuCandidate, EuEiInputs, EuSrInputs, WgiScore,
};
use orewatch_core::metrics::geopolrisk::{self, instability_scores};
use orewatch_core::metrics::import_reliance::{
    NirInputs, NirStatus, PublishedNir, net_import_reliance, nir_from_trade, trade_totals,
};
use orewatch_core::metrics::usgs_lens::{
    UsgsLensInputs, disruption_potential_from_production, usgs_supply_risk,
};
use orewatch_core::metrics::{InputOrigin, InputRef, concentration};
use orewatch_core::model::eu::{Eu2017Input, EuSupplyShare, SupplyScope};
use orewatch_core::model::governance::GovernanceRecord;
use orewatch_core::model::salient::{SalientMeasureKind, SalientStatistic};
use orewatch_core::model::{Aggregate, Measure, Party, ProductionRecord, Stage};
use orewatch_ingest::{Reference, builtin};

fn reference() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| Reference::builtin().expect("built-in reference"))
}

fn bytes(path: &str) -> &'static [u8] {
    builtin::file(path).unwrap_or_else(|| panic!("{path} is built in"))
}

fn country(code: &str) -> CountryCode {
    code.parse().expect("ISO alpha-3")
}

// ---------------------------------------------------------------------------------------------
// EU 2017: supply risk and classification of the dev sample
// ---------------------------------------------------------------------------------------------

fn eu2017() -> Vec<Eu2017Input> {
    let p = orewatch_ingest::eu_crm_2017::parse_inputs(
        "eu2017_sr_dev_sample.csv",
        bytes(orewatch_ingest::eu_crm_2017::INPUTS_FILE),
        reference(),
    )
    .expect("header");
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    p.records
}

#[test]
fn eu2017_dev_sample_reproduces_the_published_supply_risk() {
    // EU 2017 study (Study on the review of the list of CRMs, Criticality Assessments), Table 3
    // and Annex 5 Table 18: HHI_WGI,t (GS, EUS), IR, EOL-RIR, SI_SR and the published SR of 26
    // materials. The inputs are printed rounded to one decimal (percentages to integers), so
    // the acceptance is |SR − published| ≤ 0.3 for each row and ≤ 0.1 on average.
    // Computed through metrics::eu::supply_risk (Eu2017Input::supply_risk delegates to it).
    let rows = eu2017();
    assert_eq!(rows.len(), 26);
    let mut errors = Vec::new();
    let mut table = String::new();
    for r in &rows {
        let sr = eu::supply_risk(&EuSrInputs::from(r))
            .unwrap_or_else(|e| panic!("{}: {e}", r.material))
            .value;
        let published = r.published_sr.expect("published SR");
        let err = (sr - published).abs();
        table.push_str(&format!(
            "{:<20} {:<9} {sr:.4} {published:.1} {err:.4}\n",
            r.material,
            r.supply_used.as_published()
        ));
        errors.push((r.material.as_str(), err));
        assert_eq!(r.supply_risk(), Some(sr), "the model method delegates");
    }
    let max = errors.iter().map(|e| e.1).fold(0.0, f64::max);
    let mean = errors.iter().map(|e| e.1).sum::<f64>() / errors.len() as f64;
    assert!(max <= 0.3 + 1e-9, "max error {max}\n{table}");
    assert!(mean <= 0.1, "mean error {mean}\n{table}");
    // The numbers this test pins (computed 2024 by this code, checked against the table by
    // hand): largest error dysprosium (9.2 · 0.5 + 1.8 · 0.5) · 1.0 · 0.9 = 4.95 vs 5.2;
    // mean absolute error 0.0645.
    assert!((max - 0.25).abs() < 1e-9, "{table}");
    assert!((mean - 0.064_548_846).abs() < 1e-6, "{mean}\n{table}");
    let dy = errors
        .iter()
        .find(|e| e.0 == "Dysprosium")
        .expect("dysprosium");
    assert!((dy.1 - 0.25).abs() < 1e-9);
}

/// The groups of the 2017 list the dev rows belong to (COM(2017) 490 lists HREEs, LREEs and
/// PGMs as groups; scandium is assessed on its own).
fn group_2017(material: &str) -> Option<&'static str> {
    match material {
        "Dysprosium" | "Holmium" | "Lutetium" | "Terbium" | "Ytterbium" => Some("HREE"),
        "Cerium" | "Neodymium" | "Praseodymium" => Some("LREE"),
        "Palladium" | "Ruthenium" => Some("PGM"),
        _ => None,
    }
}

/// The dev rows (or their groups) on the 2017 list of critical raw materials, COM(2017) 490:
/// Baryte, Beryllium, Coking coal, Gallium, HREEs, LREEs, PGMs, Phosphorus, Scandium, Silicon
/// metal. Not on it: Aggregates, Feldspar, Gypsum, Iron ore, Lead, Manganese, Natural Teak
/// wood, Talc, Titanium.
const LISTED_2017: [&str; 10] = [
    "Baryte",
    "Beryllium",
    "Coking coal",
    "Gallium",
    "HREE",
    "LREE",
    "PGM",
    "Phosphorus",
    "Scandium",
    "Silicon metal",
];

fn classify_2017(rows: &[Eu2017Input], sr: impl Fn(&Eu2017Input) -> f64) -> Vec<(String, bool)> {
    let candidates: Vec<EuCandidate> = rows
        .iter()
        .map(|r| EuCandidate {
            name: r.material.clone(),
            group: group_2017(&r.material).map(Into::into),
            sr: sr(r),
            ei: r.published_ei.expect("published EI"),
            inputs: EuSrInputs::from(r).inputs,
        })
        .collect();
    eu::classify(&candidates)
        .expect("scores are valid")
        .into_iter()
        .map(|c| (c.name, c.critical))
        .collect()
}

#[test]
fn eu2017_classification_reproduces_the_2017_list() {
    let rows = eu2017();
    // Published SR and EI (one decimal), groups averaged: HREE (Dy, Ho, Lu, Tb, Yb) SR 5.24,
    // EI 4.02; LREE (Ce, Nd, Pr) 5.03, 3.73; PGM (Pd, Ru) 2.55, 4.55.
    let published = classify_2017(&rows, |r| r.published_sr.expect("SR"));
    assert_eq!(published.len(), 19, "26 rows, 10 of them in 3 groups");
    for (name, critical) in &published {
        let listed = LISTED_2017.contains(&name.as_str());
        if name == "Coking coal" {
            // SR 1.0 but EI 2.3 < 2.8: the rule says not critical. COM(2017) 490 keeps it as
            // a borderline case "for the sake of caution", the one exception to the rule.
            assert!(!critical && listed);
        } else {
            assert_eq!(*critical, listed, "{name}");
        }
    }
    // The same classification from orewatch's own SR (published EI): silicon metal's
    // (2.3 · 0.32 + 0.4 · 0.68) · 1 · 1 = 1.008 stays above the threshold, manganese's 0.94
    // below it, so the result does not change.
    let computed = classify_2017(&rows, |r| {
        eu::supply_risk(&EuSrInputs::from(r)).expect("SR").value
    });
    assert_eq!(computed, published);
}

// ---------------------------------------------------------------------------------------------
// EU 2023: HHI_WGI,t from the appendix supply shares, WGI and t; EI from end uses
// ---------------------------------------------------------------------------------------------

/// The WGI year used with the 2023 appendix shares: 2021. The 2023 study (published March
/// 2023) could not have used WGI 2022 values, which first appeared in the 2023 update
/// released later that year; 2021 is the latest year that was available to it. Our copy is the 2023 update,
/// whose 2021 values may differ slightly from the 2022 update the study could have read.
const WGI_YEAR: i32 = 2021;

fn wgi_records() -> &'static [GovernanceRecord] {
    static W: OnceLock<Vec<GovernanceRecord>> = OnceLock::new();
    W.get_or_init(|| {
        let p = orewatch_ingest::wgi::parse(
            "WGIData_2023update.csv",
            bytes("wgi/WGIData_2023update.csv"),
            reference(),
        )
        .expect("WGI parses");
        assert!(p.rejects.is_empty());
        p.records
    })
}

fn wgi_2021() -> &'static BTreeMap<CountryCode, WgiScore> {
    static S: OnceLock<BTreeMap<CountryCode, WgiScore>> = OnceLock::new();
    S.get_or_init(|| eu::wgi_scores(wgi_records(), WGI_YEAR))
}

fn global_supply() -> &'static [EuSupplyShare] {
    static G: OnceLock<Vec<EuSupplyShare>> = OnceLock::new();
    G.get_or_init(|| {
        orewatch_ingest::eu_crm_2023::parse_global_supply(
            "fact_GlobalSupplyShares_and_t.csv",
            bytes(orewatch_ingest::eu_crm_2023::GLOBAL_SUPPLY_FILE),
            reference(),
        )
        .expect("global supply parses")
        .records
    })
}

fn shares_of(material: &str, stage: Stage) -> Vec<EuSupplyShare> {
    let v: Vec<_> = global_supply()
        .iter()
        .filter(|r| r.material == material && r.stage == stage && r.scope == SupplyScope::Global)
        .cloned()
        .collect();
    assert!(!v.is_empty(), "{material} {stage}");
    v
}

#[test]
fn eu2023_hhi_wgi_t_of_gallium_matches_a_hand_computation() {
    // EU CRM 2023, Appendix 7, global supply of gallium (processing): China 93.8 % (t 1.0),
    // Ukraine 2.2 %, Russia 1.9 %, Japan 1.0 %, South Korea 0.9 % (t 1.0), Germany 0.3 %
    // (t 0.8). WGI 2021 (2023 update), mean of the six estimates, rescaled 5 − 2x:
    //   China: VA −1.642868, PV −0.516729, GE 0.809332, RQ −0.332244, RL 0.010761,
    //          CC 0.030393 → mean −0.273559 → WGI 5.547118;
    //   China's term: 0.938² · 5.547118 · 1.0 = 0.879844 · 5.547118 = 4.880598.
    //   Russia 0.019² · 6.455897 = 0.002331; Ukraine 0.022² · 6.084253 = 0.002945;
    //   Japan 0.010² · 2.369568 = 0.000237; South Korea 0.009² · 3.049606 = 0.000247;
    //   Germany 0.003² · 2.194273 · 0.8 = 0.000016.
    //   HHI_WGI,t = 4.880598 + 0.002331 + 0.002945 + 0.000237 + 0.000247 + 0.000016
    //             = 4.886374.
    let h = eu::hhi_wgi_t_from_shares(&shares_of("Gallium", Stage::Refining), wgi_2021())
        .expect("every supplier has a WGI score");
    assert!((h.value - 4.886_374).abs() < 5e-6, "{}", h.value);
    assert_eq!(h.suppliers, 6);
    assert!(
        (h.share_sum - 1.001).abs() < 1e-9,
        "the printed shares add up to 100.1 %"
    );
    let chn = &wgi_2021()[&country("CHN")];
    assert!((chn.scaled - 5.547_118).abs() < 1e-6);
    assert_eq!(chn.dimensions, 6);
    // Provenance: the appendix shares and t, and WGI 2021 of the 2023 update.
    assert!(
        h.inputs.iter().any(|r| r.input == "global supply shares"
            && r.source == "EU CRM"
            && r.release == "2023")
    );
    assert!(h.inputs.iter().any(|r| r.source == "World Bank WGI"
        && r.release == "2023 update"
        && r.year == Some(WGI_YEAR)));
    assert!(
        !eu::any_estimated(&h.inputs),
        "every gallium share is exact"
    );
}

#[test]
fn eu2023_hhi_wgi_t_of_cobalt_tungsten_and_lithium() {
    // Same data and WGI year as gallium. Bounds: 0 ≤ HHI_WGI,t ≤ 10 · max t. The values are
    // pinned (to 1e-4) as computed by orewatch; their dominant terms are checked by hand below.
    for (material, stage, suppliers, value) in [
        ("Cobalt", Stage::Mining, 20, 3.5830),
        ("Cobalt", Stage::Refining, 16, 2.0105),
        ("Tungsten", Stage::Mining, 25, 4.1999),
        ("Tungsten", Stage::Refining, 6, 4.0825),
        ("Lithium", Stage::Mining, 12, 0.8769),
        ("Lithium", Stage::Refining, 4, 2.1792),
        ("Gallium", Stage::Refining, 6, 4.8864),
    ] {
        let h = eu::hhi_wgi_t_from_shares(&shares_of(material, stage), wgi_2021())
            .unwrap_or_else(|e| panic!("{material} {stage}: {e}"));
        assert_eq!(h.suppliers, suppliers, "{material} {stage}");
        assert!(
            h.value > 0.0 && h.value <= 10.0 * h.max_t,
            "{material} {stage}"
        );
        assert!(h.value <= 10.0 * h.hhi * h.max_t + 1e-12);
        assert!(
            (h.value - value).abs() < 1e-4,
            "{material} {stage}: {}",
            h.value
        );
    }
    // Cobalt (extraction): DR Congo 62.8 % with t 1.1 and WGI 2021 estimates
    // (VA −1.185847, PV −1.657812, GE −1.755552, RQ −1.440397, RL −1.723929, CC −1.569069)
    // → mean −1.555434 → 8.110869; its term 0.628² · 8.110869 · 1.1 = 3.518677. The other 19
    // suppliers add less than 0.1, so the total lies in 3.518677 … 3.62.
    let co = eu::hhi_wgi_t_from_shares(&shares_of("Cobalt", Stage::Mining), wgi_2021()).unwrap();
    assert!(co.value > 3.518_677 && co.value < 3.62, "{}", co.value);
    // Cobalt has `<0.1%` shares (Botswana, Vietnam, …): read as 0.001 and flagged.
    assert!(eu::any_estimated(&co.inputs));
    // Tungsten (extraction) is dominated by China, 82.6 % at t 1.1: 0.826² · 5.547118 · 1.1
    // = 4.163132 of the total.
    let w = eu::hhi_wgi_t_from_shares(&shares_of("Tungsten", Stage::Mining), wgi_2021()).unwrap();
    assert!(w.value > 4.163_132 && w.value < 4.3, "{}", w.value);
    // Lithium (extraction), 0.8769: Australia 53.0 % (WGI 2021 mean 1.474304 → 2.051392,
    // t 1.0) gives 0.53² · 2.051392 = 0.576236; Chile 24.1 % (mean 0.749346 → 3.501308)
    // 0.241² · 3.501308 = 0.203359; the two make 0.779596 of it: well-governed producers
    // keep lithium's HHI_WGI,t low although its HHI is 0.356.
    let li = eu::hhi_wgi_t_from_shares(&shares_of("Lithium", Stage::Mining), wgi_2021()).unwrap();
    assert!((wgi_2021()[&country("AUS")].scaled - 2.051_392).abs() < 1e-5);
    assert!((wgi_2021()[&country("CHL")].scaled - 3.501_308).abs() < 1e-5);
    assert!(li.value > 0.779_596 && li.value < 0.9, "{}", li.value);
}

#[test]
fn eu2023_hhi_wgi_t_of_every_global_supply_whose_suppliers_have_a_wgi() {
    // The shipped Appendix 7 global table: every material × stage gets an HHI_WGI,t unless a
    // supplier has no WGI 2021 score (a territory the WGI does not cover). No table is
    // refused for its share sum: exact shares add up to at most 100.4 %, and the `<0.1%` rows
    // count at their lower bound in that check. Antimony processing has 37 `<0.1%` rows beside
    // exact shares summing to 100.0 % (counted at their bound 0.001 the total is 103.7 %),
    // iron ore processing 39 beside 100.0 %.
    let mut groups: BTreeMap<(String, Stage), Vec<EuSupplyShare>> = BTreeMap::new();
    for r in global_supply()
        .iter()
        .filter(|r| r.scope == SupplyScope::Global)
    {
        groups
            .entry((r.material.clone(), r.stage))
            .or_default()
            .push(r.clone());
    }
    let (mut computed, mut no_wgi) = (0, 0);
    for ((material, stage), shares) in &groups {
        match eu::hhi_wgi_t_from_shares(shares, wgi_2021()) {
            Ok(h) => {
                computed += 1;
                assert!(
                    h.value >= 0.0 && h.value <= 10.0 * h.max_t,
                    "{material} {stage}"
                );
            }
            Err(orewatch_core::Error::NoData { what }) if what.contains("no WGI score") => {
                no_wgi += 1
            }
            Err(e) => panic!("{material} {stage}: {e}"),
        }
    }
    assert!(
        computed * 10 > groups.len() * 9,
        "{computed} of {}",
        groups.len()
    );
    assert!(no_wgi < groups.len() / 10, "{no_wgi}");
    for (material, stage, bound_rows) in [
        ("Antimony", Stage::Refining, 37),
        ("Iron ore", Stage::Refining, 39),
    ] {
        let shares = shares_of(material, stage);
        assert_eq!(
            shares
                .iter()
                .filter(|r| r.qualifier == orewatch_core::model::Qualifier::AtMost)
                .count(),
            bound_rows,
            "{material}"
        );
        let h = eu::hhi_wgi_t_from_shares(&shares, wgi_2021()).expect("a consistent table");
        assert!(
            h.share_sum > 1.03,
            "{material}: bounds counted at 0.001 in share_sum"
        );
    }
}

#[test]
fn eu2023_economic_importance_from_end_uses() {
    let uses = orewatch_ingest::eu_crm_2023::parse_use_shares(
        "fact_MaterialUseShares.csv",
        bytes(orewatch_ingest::eu_crm_2023::USE_SHARES_FILE),
        reference(),
    )
    .expect("use shares parse")
    .records;
    // EU CRM 2023 Appendix 6: the largest NACE 2-digit sector is C28, manufacture of
    // machinery and equipment n.e.c., value added 204,200 M€: the max Q of the EI.
    let (sector, q) = eu::largest_sector(&uses).expect("sectors");
    assert_eq!(
        (sector.code.as_str(), q),
        ("C28", C28_VALUE_ADDED_2023_MEUR)
    );
    // Tungsten's uses: 8 % C20 (132,361 M€), 6 % C25 (163,568), 6 % C27 (89,422) and
    // 5 + 33 + 23 + 18 = 79 % C28 (204,200):
    //   Σ A·Q = 10,588.88 + 9,814.08 + 5,365.32 + 161,318 = 187,086.28 M€;
    //   EI = 10 · 187,086.28 / 204,200 = 9.161914 with SI_EI = 1.
    // The 2023 substitution index SI_EI is not in orewatch's data, so it is supplied (1.0,
    // i.e. the EI before substitution).
    let w: Vec<_> = uses
        .iter()
        .filter(|r| r.material == "Tungsten")
        .cloned()
        .collect();
    let (end_uses, inputs) = eu::end_uses_from_shares(&w).expect("one material");
    let mut inputs = inputs;
    inputs.push(InputRef::supplied(
        "SI_EI",
        "not in orewatch data: 1.0 (EI before substitution)",
    ));
    let ei = eu::economic_importance(&EuEiInputs {
        uses: end_uses,
        max_value_added: q,
        si_ei: 1.0,
        inputs,
    })
    .expect("valid");
    assert!((ei.weighted_value_added - 187_086.28).abs() < 1e-6);
    assert!((ei.value - 9.161_914).abs() < 1e-6, "{}", ei.value);
    assert_eq!(ei.unallocated_share, 0.0);
    assert_eq!(ei.inputs[0].source, "EU CRM");
    assert_eq!(ei.inputs[1].origin, InputOrigin::Supplied);
    // Cobalt has a 6 % "Other" use without a sector: it counts for nothing.
    //   36 % C20 + 57 % C25 + 3 % C27: 47,649.96 + 93,233.76 + 2,682.66 = 143,566.38;
    //   EI = 10 · 143,566.38 / 204,200 = 7.030675.
    let co: Vec<_> = uses
        .iter()
        .filter(|r| r.material == "Cobalt")
        .cloned()
        .collect();
    let (end_uses, _) = eu::end_uses_from_shares(&co).unwrap();
    let ei = eu::economic_importance(&EuEiInputs {
        uses: end_uses,
        max_value_added: q,
        si_ei: 1.0,
        inputs: vec![],
    })
    .unwrap();
    assert!((ei.value - 7.030_675).abs() < 1e-6, "{}", ei.value);
    assert!((ei.unallocated_share - 0.06).abs() < 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Concentration: lithium 2023 (MCS 2024)
// ---------------------------------------------------------------------------------------------

fn world(path: &str) -> Vec<ProductionRecord> {
    let name = path.rsplit('/').next().expect("file name");
    let p = orewatch_ingest::usgs_mcs::parse_world(name, bytes(path), reference()).expect("parses");
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    p.records
}

#[test]
fn lithium_2023_top3_share_by_hand() {
    // MCS 2024, Lithium, mine production 2023 (estimated, t Li): Australia 86,000, Chile
    // 44,000, China 33,000, Argentina 9,600, Brazil 4,900, Canada 3,400, Zimbabwe 3,400,
    // Portugal 380; United States W (withheld); world total (rounded, excluding the U.S.)
    // 180,000.
    //   top-1 = 86,000 / 180,000 = 0.477778;
    //   top-3 = (86,000 + 44,000 + 33,000) / 180,000 = 163,000 / 180,000 = 0.905556;
    //   HHI (fractions) = (86² + 44² + 33² + 9.6² + 4.9² + 3.4² + 3.4² + 0.38²) / 180²
    //                   = 10,560.4344 / 32,400 = 0.325939 (3,259 points).
    let recs = world("usgs-mcs/world_2024/mcs2024-lithi_world.csv");
    let y2023: Vec<&ProductionRecord> = recs
        .iter()
        .filter(|r| r.measure == Measure::Production && r.year == Some(2023))
        .collect();
    let total = y2023
        .iter()
        .find(|r| r.party == Party::Aggregate(Aggregate::World))
        .and_then(|r| r.value);
    let q: Vec<f64> = y2023
        .iter()
        .filter(|r| matches!(r.party, Party::Country(_)))
        .filter_map(|r| r.value)
        .collect();
    assert_eq!(q.len(), 8, "the U.S. figure is withheld");
    let c = concentration(&q, total).expect("valid");
    assert!((c.top1 - 0.477_778).abs() < 1e-6);
    assert!((c.top3 - 0.905_556).abs() < 1e-6, "{}", c.top3);
    assert!(
        (c.hhi_fraction - 0.325_939).abs() < 1e-6,
        "{}",
        c.hhi_fraction
    );
}

// ---------------------------------------------------------------------------------------------
// Net import reliance
// ---------------------------------------------------------------------------------------------

fn salient(path: &str) -> Vec<SalientStatistic> {
    let name = path.rsplit('/').next().expect("file name");
    orewatch_ingest::usgs_salient::parse_salient(name, bytes(path), reference())
        .expect("parses")
        .records
}

#[test]
fn chromium_reliance_from_components_matches_the_printed_nir() {
    // MCS 2024 chromium salient statistics (kt): production = mine (0) + recycling,
    // imports, exports, apparent consumption; NIR_pct as printed. USGS: NIR = (imports −
    // exports ± stock changes) / apparent consumption = (AC − P) / AC. 2023:
    // (380 − 100) / 380 = 73.7 % → printed 74.
    let stats = salient("usgs-mcs/salient_2024/mcs2024-chrom_salient.csv");
    for year in 2019..=2023 {
        let of = |kind: SalientMeasureKind| -> Vec<&SalientStatistic> {
            stats
                .iter()
                .filter(|s| s.year == year && s.measure.kind == kind)
                .collect()
        };
        let sum = |kind| of(kind).iter().filter_map(|s| s.value).sum::<f64>();
        let ac = of(SalientMeasureKind::Consumption)
            .into_iter()
            .find(|s| s.measure.detail.to_ascii_lowercase().starts_with("appar"))
            .and_then(|s| s.value);
        let n = net_import_reliance(&NirInputs {
            production: sum(SalientMeasureKind::Production),
            imports: sum(SalientMeasureKind::Imports),
            exports: sum(SalientMeasureKind::Exports),
            stock_release: None,
            apparent_consumption: ac,
            inputs: vec![],
        })
        .unwrap_or_else(|e| panic!("{year}: {e}"));
        let printed = of(SalientMeasureKind::NetImportReliance)
            .first()
            .map(|s| PublishedNir::from_salient(s).expect("a number"))
            .expect("NIR_pct");
        assert_eq!(printed.status, NirStatus::Exact);
        let want = printed.fraction.expect("number") * 100.0;
        assert_eq!(n.percent().round(), want, "{year}: {:.2}", n.percent());
    }
}

#[test]
fn printed_reliance_from_salient_and_table_5() {
    // Tungsten 2023 NIR printed ">50": a lower bound, kept as such and flagged.
    let w = salient("usgs-mcs/salient_2024/mcs2024-tungs_salient.csv");
    let nir = w
        .iter()
        .find(|s| s.year == 2023 && s.measure.kind == SalientMeasureKind::NetImportReliance)
        .expect("tungsten NIR");
    let p = PublishedNir::from_salient(nir).expect("a bound");
    assert_eq!((p.status, p.fraction), (NirStatus::AtLeast, Some(0.5)));
    assert!(p.input.estimated);
    assert_eq!(
        (p.input.release.as_str(), p.input.year),
        ("MCS2024", Some(2023))
    );
    // MCS 2024 Table 5: gallium 100 %, cobalt 67 %, chromium 74 % (2023, estimated year).
    let t5 = orewatch_ingest::usgs_trends::parse_critical_minerals(
        "MCS2024_T5_Critical_Minerals_Salient.csv",
        bytes("usgs-mcs/trends/MCS2024_T5_Critical_Minerals_Salient.csv"),
        reference(),
    )
    .expect("table 5")
    .records;
    for (mineral, want) in [("gallium", 1.0), ("cobalt", 0.67), ("chromium", 0.74)] {
        let row = t5
            .iter()
            .find(|r| r.mineral.as_str() == mineral)
            .unwrap_or_else(|| panic!("{mineral}"));
        let p = PublishedNir::from_summary(row).expect("a number");
        assert!((p.exposure() - want).abs() < 1e-12, "{mineral}");
        assert!(p.input.estimated, "Table 5 gives 2023 as an estimated year");
    }
}

#[test]
fn us_cobalt_reliance_from_comtrade_total_rows() {
    // UN Comtrade extract (crates/fixtures), U.S. 2020, HS 8105 (cobalt mattes, unwrought
    // cobalt, articles), total rows with partner World: imports 10,104,440 kg, exports
    // 5,122,492 kg. With the U.S. mine production of 2020 as supplied production (600 t
    // contained cobalt, MCS 2022; an illustration: trade counts gross weight, not contained
    // cobalt, which is why the result is not the MCS figure):
    //   NIR = (10,104,440 − 5,122,492) / (600,000 + 4,981,948) = 4,981,948 / 5,581,948
    //       = 0.892511.
    let flows = orewatch_ingest::comtrade::parse(
        "cobalt_trade_data.csv",
        orewatch_fixtures::comtrade::COBALT,
        reference(),
    )
    .expect("parses")
    .records;
    let t = trade_totals(&flows, country("USA"), 2020, |f| f.hs_code == "8105").expect("rows");
    assert_eq!((t.imports_kg, t.exports_kg), (10_104_440.0, 5_122_492.0));
    assert_eq!(t.imports_by_partner[&country("CHN")], 86_244.0);
    assert_eq!(
        t.breakdown_rows_skipped, 0,
        "the extract holds total rows only"
    );
    let n = nir_from_trade(
        &t,
        600_000.0,
        InputRef::supplied("U.S. mine production 2020", "MCS 2022 (600 t)"),
        None,
    )
    .expect("valid");
    assert!((n.value - 0.892_511).abs() < 1e-6, "{}", n.value);
    assert!(n.inputs.iter().any(|r| r.source == "UN Comtrade"));
    assert!(
        n.inputs.iter().any(|r| r.origin == InputOrigin::Assumed),
        "no stock data"
    );
}

// ---------------------------------------------------------------------------------------------
// GeoPolRisk and the USGS lens
// ---------------------------------------------------------------------------------------------

#[test]
fn geopolrisk_of_us_cobalt_2022_by_hand() {
    // HHI of cobalt mine production 2022 (MCS 2024; countries over the world total of
    // 197,000 t; "Other countries" is not a producer):
    //   (500² + 5,790² + 3,060² + 144,000² + 3,700² + 9,600² + 3,500² + 2,000² + 2,990²
    //    + 3,900² + 9,200² + 2,100²) / 197,000² = 21,014,437,800 / 38,809,000,000
    //   = 0.541484.
    // U.S. imports of HS 8105, 2022 (Comtrade, World row): 9,580,581 kg, of which China
    // 158,314 kg; the other 9,422,267 kg have no partner in the extract and get g = 0.5.
    // China's PV.EST 2022 (WGI 2023 update) −0.441074 → g = (2.5 + 0.441074) / 5 = 0.588215.
    // Domestic production: U.S. mine production 2022, 500 t = 500,000 kg.
    //   import risk = (0.588215 · 158,314 + 0.5 · 9,422,267) / (500,000 + 9,580,581)
    //               = (93,122.6 + 4,711,133.5) / 10,080,581 = 0.476585;
    //   GeoPolRisk = 0.541484 · 0.476585 = 0.258063.
    let recs = world("usgs-mcs/world_2024/mcs2024-cobal_world.csv");
    let q: Vec<f64> = recs
        .iter()
        .filter(|r| r.year == Some(2022) && r.measure == Measure::Production)
        .filter(|r| matches!(r.party, Party::Country(_)))
        .filter_map(|r| r.value)
        .collect();
    let c = concentration(&q, Some(197_000.0)).expect("valid");
    assert!(
        (c.hhi_fraction - 0.541_484).abs() < 1e-6,
        "{}",
        c.hhi_fraction
    );
    let flows = orewatch_ingest::comtrade::parse(
        "cobalt_trade_data.csv",
        orewatch_fixtures::comtrade::COBALT,
        reference(),
    )
    .expect("parses")
    .records;
    let t = trade_totals(&flows, country("USA"), 2022, |f| f.hs_code == "8105").expect("rows");
    let g = instability_scores(wgi_records(), 2022);
    assert!((g[&country("CHN")].g - 0.588_215).abs() < 1e-6);
    let r = geopolrisk::geopolrisk_from_trade(
        c.hhi_fraction,
        InputRef::supplied("cobalt mine production HHI 2022", "MCS 2024"),
        &t,
        &g,
        500_000.0,
        InputRef::supplied("U.S. cobalt mine production 2022", "MCS 2024 (500 t)"),
    )
    .expect("valid");
    assert!(
        (r.import_risk - 0.476_585).abs() < 1e-6,
        "{}",
        r.import_risk
    );
    assert!((r.score - 0.258_063).abs() < 1e-6, "{}", r.score);
    assert!(r.inputs.iter().any(|i| i.origin == InputOrigin::Assumed));
}

#[test]
fn usgs_lens_for_gallium_with_a_supplied_economic_vulnerability() {
    // DP from MCS 2024 primary gallium production 2023: China 600 t of a 610 t world total,
    // Japan 3 t, Korea 2 t, Russia 5 t; WGI 2021 on the EU scale / 10.
    //   DP = (600/610)² · 0.554712 + (3/610)² · 0.236957 + (2/610)² · 0.304961
    //        + (5/610)² · 0.645590 = 0.536672 + 0.000006 + 0.000003 + 0.000043 = 0.536724.
    // TE: NIR 100 % (MCS 2024 gallium salient, 2023). EV: not in orewatch's data; 0.6 is a
    // supplied value, for the arithmetic only. SR = 0.536724 · 1.0 · 0.6 = 0.322034.
    let recs = world("usgs-mcs/world_2024/mcs2024-galli_world.csv");
    let listed: Vec<(String, Option<f64>)> = recs
        .iter()
        .filter(|r| r.year == Some(2023) && r.measure == Measure::Production)
        .map(|r| (r.country_raw.clone(), r.value))
        .collect();
    let dp = disruption_potential_from_production(&recs, 2023, wgi_2021()).expect("valid");
    let by_hand: f64 = [(600.0, "CHN"), (3.0, "JPN"), (2.0, "KOR"), (5.0, "RUS")]
        .iter()
        .map(|&(t, c)| (t / 610.0f64).powi(2) * wgi_2021()[&country(c)].scaled / 10.0)
        .sum();
    assert!(
        (dp.value - by_hand).abs() < 1e-9,
        "{} vs {by_hand}: {listed:?}",
        dp.value
    );
    assert!((dp.value - 0.536_724).abs() < 1e-5, "{}", dp.value);
    let ga = salient("usgs-mcs/salient_2024/mcs2024-galli_salient.csv");
    let nir = ga
        .iter()
        .find(|s| s.year == 2023 && s.measure.kind == SalientMeasureKind::NetImportReliance)
        .expect("gallium NIR 2023");
    let sr = usgs_supply_risk(&UsgsLensInputs {
        disruption_potential: dp.clone(),
        net_import_reliance: PublishedNir::from_salient(nir).expect("100"),
        economic_vulnerability: 0.6,
        economic_vulnerability_source: "test value (not in orewatch data)".into(),
    })
    .expect("valid");
    assert_eq!(sr.trade_exposure, 1.0);
    assert!((sr.value - dp.value * 0.6).abs() < 1e-12);
    let supplied: Vec<_> = sr.supplied_inputs().map(|r| r.input.as_str()).collect();
    assert_eq!(supplied, ["economic vulnerability (not in orewatch data)"]);
}
