//! The supply-risk inputs and results of the EU 2017 criticality assessment
//! (`eu2017_sr_dev_sample.csv`: European Commission, *Study on the review of the list of
//! Critical Raw Materials — Criticality Assessments*, 2017, Table 3 and Annex 5 Table 18).
//!
//! Columns: `material`, `stage` (`E` extraction, `P` processing), `hhi_wgi_t_gs`,
//! `hhi_wgi_t_eu`, `import_reliance_pct`, `eol_rir_pct`, `si_sr`, `si_ei`, `supply_used`
//! (`GS + EUS`, `GS only`, `EUS only`), `published_sr`, `published_ei`. Every numeric cell may
//! be `N/A` (read as `None`); percentages become fractions. Values outside their domain
//! (a percentage above 100, a substitution index above 1, a negative HHI) reject the row.

use orewatch_core::model::eu::{ASSESSMENT_2017, Eu2017Input, SupplyUsed};
use orewatch_core::model::{Provenance, Stage};

use crate::eu_crm_2023::data_rows;
use crate::text::{csv_reader, decode_utf8, header};
use crate::{Parsed, Reference, Result, RowError};

/// The publisher label of [`Provenance::source`].
pub const SOURCE: &str = "EU CRM";
/// The release label of [`Provenance::release`].
pub const RELEASE: &str = "2017";
/// Built-in path of the file.
pub const INPUTS_FILE: &str = "eu-crm-2017/eu2017_sr_dev_sample.csv";

/// The columns, in the published order. The first nine are required; `published_sr` and
/// `published_ei` are optional, and an `ei` column (the EI to use, as `orewatch eu-assess`
/// takes it) stands in for `published_ei`.
const COLUMNS: [&str; 11] = [
    "material",
    "stage",
    "hhi_wgi_t_gs",
    "hhi_wgi_t_eu",
    "import_reliance_pct",
    "eol_rir_pct",
    "si_sr",
    "si_ei",
    "supply_used",
    "published_sr",
    "published_ei",
];

/// The domain a numeric column must lie in.
#[derive(Clone, Copy)]
enum Domain {
    /// 0 to 100, divided by 100.
    Percent,
    /// At most 100 (negative for a net exporter), divided by 100.
    PercentNet,
    /// 0 to 1.
    Index,
    /// Any non-negative number.
    NonNegative,
}

/// Parses `eu2017_sr_dev_sample.csv` (UTF-8, one row per material).
pub fn parse_inputs(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<Eu2017Input>> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    // Optional columns point past the end of every row when absent (read as empty → N/A).
    let mut cols = [usize::MAX; COLUMNS.len()];
    for (i, name) in COLUMNS.iter().enumerate() {
        cols[i] = match i {
            0..=8 => h.require(file, name)?,
            10 => h
                .position("ei")
                .or_else(|| h.position(name))
                .unwrap_or(usize::MAX),
            _ => h.position(name).unwrap_or(usize::MAX),
        };
    }
    let (rows, rejects) = data_rows(file, &text, &mut rdr);
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    for (line, rec) in rows {
        match row(file, line, &rec, &cols, reference) {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

fn row(
    file: &str,
    line: u64,
    rec: &csv::StringRecord,
    cols: &[usize; COLUMNS.len()],
    reference: &Reference,
) -> std::result::Result<Eu2017Input, RowError> {
    let get = |i: usize| rec.get(cols[i]).map(str::trim);
    let bad = |i: usize, reason: String| RowError::new(file, line, Some(COLUMNS[i]), reason);
    let cell = |i: usize| {
        get(i).ok_or_else(|| {
            bad(
                i,
                format!("row has {} fields, the column is missing", rec.len()),
            )
        })
    };
    let number = |i: usize, domain: Domain| -> std::result::Result<Option<f64>, RowError> {
        if cols[i] == usize::MAX {
            return Ok(None);
        }
        let raw = cell(i)?;
        if raw.eq_ignore_ascii_case("N/A") || (i >= 9 && raw.is_empty()) {
            return Ok(None);
        }
        let v = raw
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(i, format!("{raw:?} is neither a number nor N/A")))?;
        let (lo, hi, scale) = match domain {
            Domain::Percent => (0.0, 100.0, 0.01),
            Domain::PercentNet => (f64::NEG_INFINITY, 100.0, 0.01),
            Domain::Index => (0.0, 1.0, 1.0),
            Domain::NonNegative => (0.0, f64::INFINITY, 1.0),
        };
        if !(lo..=hi).contains(&v) {
            return Err(bad(i, format!("{raw} is outside {lo}..={hi}")));
        }
        Ok(Some(v * scale))
    };
    let material = cell(0)?;
    if material.is_empty() {
        return Err(bad(0, "empty material".into()));
    }
    let stage_raw = cell(1)?;
    let stage = match stage_raw {
        "E" | "e" => Stage::Mining,
        "P" | "p" => Stage::Refining,
        _ => {
            return Err(bad(
                1,
                format!("stage {stage_raw:?} is neither E (extraction) nor P (processing)"),
            ));
        }
    };
    let hhi_wgi_t_global = number(2, Domain::NonNegative)?;
    let hhi_wgi_t_eu = number(3, Domain::NonNegative)?;
    let import_reliance = number(4, Domain::PercentNet)?;
    let eol_rir = number(5, Domain::Percent)?;
    let si_sr = number(6, Domain::Index)?;
    let si_ei = number(7, Domain::Index)?;
    let used_raw = cell(8)?;
    let supply_used = SupplyUsed::from_published(used_raw).ok_or_else(|| {
        bad(
            8,
            format!("{used_raw:?} is not \"GS + EUS\", \"GS only\" or \"EUS only\""),
        )
    })?;
    let published_sr = number(9, Domain::NonNegative)?;
    let published_ei = number(10, Domain::NonNegative)?;
    Ok(Eu2017Input {
        assessment: ASSESSMENT_2017.into(),
        material: material.to_string(),
        mineral: reference.minerals.resolve(material).map(|m| m.id.clone()),
        stage,
        hhi_wgi_t_global,
        hhi_wgi_t_eu,
        import_reliance,
        eol_rir,
        si_sr,
        si_ei,
        supply_used,
        published_sr,
        published_ei,
        provenance: Provenance {
            source: SOURCE.into(),
            release: RELEASE.into(),
            file: file.rsplit('/').next().unwrap_or(file).into(),
            line,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference"))
    }

    fn shipped() -> Parsed<Eu2017Input> {
        let bytes = crate::builtin::file(INPUTS_FILE).expect("built-in file");
        parse_inputs("eu2017_sr_dev_sample.csv", bytes, reference()).expect("header")
    }

    const HEAD: &str = "material,stage,hhi_wgi_t_gs,hhi_wgi_t_eu,import_reliance_pct,eol_rir_pct,\
                        si_sr,si_ei,supply_used,published_sr,published_ei\n";

    #[test]
    fn shipped_file_reads_all_26_materials() {
        let p = shipped();
        assert_eq!(p.records.len(), 26);
        assert_eq!(p.rejects, vec![]);
        let count = |u| p.records.iter().filter(|r| r.supply_used == u).count();
        assert_eq!(
            (
                count(SupplyUsed::GlobalAndEu),
                count(SupplyUsed::GlobalOnly),
                count(SupplyUsed::EuOnly)
            ),
            (19, 5, 2)
        );
        let processing: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.stage == Stage::Refining)
            .map(|r| r.material.as_str())
            .collect();
        assert_eq!(
            processing,
            [
                "Coking coal",
                "Gallium",
                "Palladium",
                "Phosphorus",
                "Ruthenium",
                "Scandium",
                "Silicon metal"
            ]
        );
    }

    #[test]
    fn not_assessed_cells_are_none() {
        // Beryllium: no EU sourcing and no import reliance published ("N/A").
        let p = shipped();
        let be = p
            .records
            .iter()
            .find(|r| r.material == "Beryllium")
            .unwrap();
        assert_eq!((be.hhi_wgi_t_eu, be.import_reliance), (None, None));
        assert_eq!(be.supply_used, SupplyUsed::GlobalOnly);
        assert_eq!(be.hhi_wgi_t_global, Some(2.4));
        assert_eq!(be.supply_risk(), Some(2.4));
        let na = p
            .records
            .iter()
            .filter(|r| r.hhi_wgi_t_eu.is_none() || r.import_reliance.is_none())
            .count();
        assert_eq!(na, 1);
    }

    #[test]
    fn gallium_row_checked_by_hand() {
        // 2017 study, Table 3 and Annex 5 Table 18: gallium (processing), HHI_WGI,t 3.5 (GS)
        // and 1.1 (EUS), IR 34 %, EOL-RIR 0 %, SI_SR 1.0, SI_EI 0.9, GS + EUS, SR 1.4, EI 3.2.
        let p = shipped();
        let ga = p.records.iter().find(|r| r.material == "Gallium").unwrap();
        assert_eq!(ga.stage, Stage::Refining);
        assert_eq!(ga.mineral.as_ref().map(|m| m.as_str()), Some("gallium"));
        assert_eq!(
            (ga.hhi_wgi_t_global, ga.hhi_wgi_t_eu),
            (Some(3.5), Some(1.1))
        );
        assert!((ga.import_reliance.unwrap() - 0.34).abs() < 1e-12);
        assert_eq!(ga.eol_rir, Some(0.0));
        assert_eq!((ga.si_sr, ga.si_ei), (Some(1.0), Some(0.9)));
        assert_eq!(ga.supply_used, SupplyUsed::GlobalAndEu);
        assert_eq!((ga.published_sr, ga.published_ei), (Some(1.4), Some(3.2)));
        assert_eq!(ga.provenance.line, 9);
        assert_eq!(ga.assessment, "EU CRM 2017");
    }

    #[test]
    fn recomputed_supply_risk_matches_the_published_one() {
        // The inputs are printed rounded, so the recomputation is off by up to 0.25
        // (dysprosium: 4.95 against 5.2).
        for r in shipped().records {
            let sr = r
                .supply_risk()
                .expect("all inputs the formula needs are published");
            let published = r.published_sr.unwrap();
            assert!(
                (sr - published).abs() <= 0.25 + 1e-9,
                "{}: {sr} vs {published}",
                r.material
            );
        }
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let e = parse_inputs("x.csv", b"material,stage\nGallium,P\n", reference()).unwrap_err();
        assert!(
            matches!(e, Error::Header { ref field, .. } if field == "hhi_wgi_t_gs"),
            "{e}"
        );
    }

    #[test]
    fn bad_cells_are_rejected_with_line_and_field() {
        let body = format!(
            "{HEAD}Gallium,P,abc,1.1,34,0,1.0,0.9,GS + EUS,1.4,3.2\n\
             Gallium,P,3.5,1.1,134,0,1.0,0.9,GS + EUS,1.4,3.2\n\
             Gallium,P,3.5,1.1,34,0,1.2,0.9,GS + EUS,1.4,3.2\n\
             Gallium,P,3.5,1.1,34,0,1.0,0.9,both,1.4,3.2\n\
             Gallium,X,3.5,1.1,34,0,1.0,0.9,GS + EUS,1.4,3.2\n\
             Gallium,P,3.5\n\
             Gallium,P,-1,n/a,N/A,0,1.0,0.9,GS only,NaN,3.2\n\
             Gallium,p,3.5,n/a,N/A,0,1.0,0.9,gs only,1.4,3.2\n"
        );
        let p = parse_inputs("x.csv", body.as_bytes(), reference()).unwrap();
        let got: Vec<_> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("hhi_wgi_t_gs")),
                (3, Some("import_reliance_pct")),
                (4, Some("si_sr")),
                (5, Some("supply_used")),
                (6, Some("stage")),
                (7, Some("hhi_wgi_t_eu")),
                (8, Some("hhi_wgi_t_gs")),
            ]
        );
        assert!(p.rejects[0].reason.contains("\"abc\""));
        assert!(p.rejects[1].reason.contains("outside"));
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].provenance.line, 9);
        assert_eq!(p.records[0].hhi_wgi_t_eu, None);
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse_inputs("f", &bytes, reference());
        }

        #[test]
        fn parser_never_panics_on_csv_like_rows(body in "([A-Za-z0-9 ,./+\"\\-\r\n]{0,40}\n){0,10}") {
            let _ = parse_inputs("f", format!("{HEAD}{body}").as_bytes(), reference());
        }
    }
}
