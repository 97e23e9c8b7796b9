//! UN Comtrade trade data, in the CSV layout of the Comtrade API v1 (`typeCode`, `freqCode`,
//! `refYear`, `reporterCode`, `flowCode`, `partnerCode`, `cmdCode`, `netWgt`, `primaryValue`,
//! …), as written by API clients. Columns are found by name; extra columns (the extract in the
//! test fixtures appends `commodity_name`, `hs_code`, `query_year`) are ignored unless named
//! below.
//!
//! # Parties
//! `reporterCode` and `partnerCode` are Comtrade's numeric area codes, which are ISO 3166-1
//! numeric codes except for:
//! - aggregates, mapped by [`AGGREGATE_CODES`]: 0 World → [`Aggregate::World`], 97 the EU →
//!   [`Aggregate::EuropeanUnion`], and the "nes" areas, bunkers, free zones and special
//!   categories → [`Aggregate::OtherGroup`]. 490 "Other Asia, nes" (which holds Taiwan's trade)
//!   is an aggregate too: orewatch does not map it to a country silently;
//! - countries Comtrade numbers with their territories, mapped by [`COUNTRY_CODES`]: 842 USA,
//!   251 France, 381 Italy, 579 Norway, 699 India, 757 Switzerland.
//!
//! A code in neither table is looked up in the registry's ISO numeric codes, then the
//! `reporterISO`/`partnerISO` and `reporterDesc`/`partnerDesc` texts (often empty) are tried.
//!
//! # Mineral and stage
//! From `cmdCode` with [`classify_hs_code`]. When several minerals share the code (`253090`:
//! lithium, rare earths, wollastonite) the extract's `commodity_name` column, if present and
//! naming one of them, decides; otherwise the mineral is `None` and the stage is kept when the
//! candidates agree on it.
//!
//! # Rejected rows
//! Non-numeric numbers and codes, unknown parties, flow codes other than `M`, `X`, `RM`, `RX`,
//! services rows (`typeCode` `S`), and short rows.

use std::collections::HashMap;

use orewatch_core::MineralId;
use orewatch_core::model::provenance::Provenance;
use orewatch_core::model::trade::{TradeDirection, TradeFlow, classify_hs_code};
use orewatch_core::model::{Aggregate, Party, Stage};

use crate::text::decode_utf8;
use crate::text::{NamedRow as Row, parse_named};
use crate::{Parsed, Reference, Result, RowError};

/// The `source` of every record's provenance.
pub const SOURCE: &str = "UN Comtrade";

/// The `release` of every record's provenance: Comtrade has no releases (figures are revised
/// continuously), so the API version is recorded.
pub const RELEASE: &str = "API v1";

/// Comtrade area codes that are aggregates, with the area's Comtrade name.
pub const AGGREGATE_CODES: [(u16, Aggregate, &str); 23] = [
    (0, Aggregate::World, "World"),
    (97, Aggregate::EuropeanUnion, "European Union"),
    (58, Aggregate::OtherGroup, "Belgium-Luxembourg (...1998)"),
    (129, Aggregate::OtherGroup, "Caribbean, nes"),
    (221, Aggregate::OtherGroup, "Eastern Europe, nes"),
    (290, Aggregate::OtherGroup, "Northern Africa, nes"),
    (471, Aggregate::OtherGroup, "CACM, nes"),
    (472, Aggregate::OtherGroup, "Africa CAMEU region, nes"),
    (473, Aggregate::OtherGroup, "LAIA, nes"),
    (490, Aggregate::OtherGroup, "Other Asia, nes"),
    (492, Aggregate::OtherGroup, "Europe EU, nes"),
    (527, Aggregate::OtherGroup, "Oceania, nes"),
    (568, Aggregate::OtherGroup, "Other Europe, nes"),
    (577, Aggregate::OtherGroup, "Other Africa, nes"),
    (636, Aggregate::OtherGroup, "Rest of America, nes"),
    (
        637,
        Aggregate::OtherGroup,
        "North America and Central America, nes",
    ),
    (697, Aggregate::OtherGroup, "Europe EFTA, nes"),
    (
        711,
        Aggregate::OtherGroup,
        "Southern African Customs Union (...1999)",
    ),
    (837, Aggregate::OtherGroup, "Bunkers"),
    (838, Aggregate::OtherGroup, "Free Zones"),
    (839, Aggregate::OtherGroup, "Special Categories"),
    (879, Aggregate::OtherGroup, "Western Asia, nes"),
    (899, Aggregate::OtherGroup, "Areas, nes"),
];

/// Comtrade area codes of countries that differ from the ISO numeric code because Comtrade
/// counts territories with the country: (Comtrade code, ISO alpha-3).
pub const COUNTRY_CODES: [(u16, &str); 6] = [
    (251, "FRA"), // France and Monaco (ISO 250)
    (381, "ITA"), // Italy and San Marino (ISO 380)
    (579, "NOR"), // Norway, Svalbard and Jan Mayen (ISO 578)
    (699, "IND"), // India (ISO 356)
    (757, "CHE"), // Switzerland and Liechtenstein (ISO 756)
    (842, "USA"), // USA, Puerto Rico and US Virgin Islands (ISO 840)
];

/// Columns a Comtrade file must have.
pub const REQUIRED: [&str; 7] = [
    "refYear",
    "reporterCode",
    "flowCode",
    "partnerCode",
    "cmdCode",
    "netWgt",
    "primaryValue",
];

/// Columns read when present.
const OPTIONAL: [&str; 20] = [
    "typeCode",
    "freqCode",
    "refMonth",
    "reporterISO",
    "reporterDesc",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "customsCode",
    "mosCode",
    "motCode",
    "qtyUnitCode",
    "qty",
    "isNetWgtEstimated",
    "cifvalue",
    "fobvalue",
    "commodity_name",
];

/// Parses a Comtrade API v1 CSV file (UTF-8, with or without a BOM).
///
/// Header errors (a column of [`REQUIRED`] missing) and invalid UTF-8 stop the file; bad rows
/// are rejected and reported.
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<Parsed<TradeFlow>> {
    let text = decode_utf8(file, bytes)?;
    let mut ctx = Context {
        reference,
        file,
        hs: HashMap::new(),
    };
    parse_named(file, &text, &REQUIRED, &OPTIONAL, |row| ctx.flow(row))
}

/// Comtrade's cell readers, beside the shared ones of [`crate::text::NamedRow`].
impl Row<'_> {
    /// An optional number: `None` for an empty cell.
    fn number(&self, name: &str) -> std::result::Result<Option<f64>, RowError> {
        match self.get(name) {
            "" => Ok(None),
            c => match c.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(self.err(name, format!("{c:?} is not a number"))),
            },
        }
    }

    /// An integer code (`842`, or `842.0` as some clients write it); `None` when empty.
    fn int(&self, name: &str) -> std::result::Result<Option<i64>, RowError> {
        match self.get(name) {
            "" => Ok(None),
            c => c
                .strip_suffix(".0")
                .unwrap_or(c)
                .parse::<i64>()
                .map(Some)
                .map_err(|_| self.err(name, format!("{c:?} is not an integer code"))),
        }
    }

    /// A required integer code within `lo..=hi`.
    fn code(&self, name: &str, lo: i64, hi: i64) -> std::result::Result<i64, RowError> {
        match self.int(name)? {
            Some(v) if (lo..=hi).contains(&v) => Ok(v),
            Some(v) => Err(self.err(name, format!("{v} is outside {lo}…{hi}"))),
            None => Err(self.err(name, "empty")),
        }
    }

    /// An optional integer code within `0..=u16::MAX`, `default` when empty.
    fn small(&self, name: &str, default: u16) -> std::result::Result<u16, RowError> {
        match self.int(name)? {
            None => Ok(default),
            Some(v) => {
                u16::try_from(v).map_err(|_| self.err(name, format!("{v} is not a Comtrade code")))
            }
        }
    }
}

/// The parse state shared by the rows: the registries and a cache of HS classifications.
struct Context<'a> {
    reference: &'a Reference,
    file: &'a str,
    hs: HashMap<(String, String), (Option<MineralId>, Option<Stage>)>,
}

impl Context<'_> {
    fn flow(&mut self, row: &Row<'_>) -> std::result::Result<TradeFlow, RowError> {
        match row.get("typeCode") {
            "" | "C" => {}
            t => {
                return Err(row.err(
                    "typeCode",
                    format!("{t:?} is not goods trade (C); services are not modelled"),
                ));
            }
        }
        let year = row.code("refYear", 1900, 2200)? as i32;
        let month = match row.get("freqCode") {
            "" | "A" => None,
            "M" => Some(row.code("refMonth", 1, 12)? as u8),
            f => return Err(row.err("freqCode", format!("{f:?} is neither A nor M"))),
        };
        let reporter = self.party(row, "reporterCode", "reporterISO", "reporterDesc")?;
        let partner = self.party(row, "partnerCode", "partnerISO", "partnerDesc")?;
        let partner2 = match row.int("partner2Code")? {
            None | Some(0) => None,
            Some(_) => Some(self.party(row, "partner2Code", "partner2ISO", "partner2Desc")?),
        };
        let flow_code = row.get("flowCode");
        let flow = TradeDirection::from_comtrade(flow_code)
            .ok_or_else(|| row.err("flowCode", format!("{flow_code:?} is not M, X, RM or RX")))?;
        let hs_code = row.get("cmdCode").to_string();
        if hs_code.is_empty() {
            return Err(row.err("cmdCode", "empty"));
        }
        let (mineral, stage) = self.classify(&hs_code, row.get("commodity_name"));
        let quantity_unit = match row.int("qtyUnitCode")? {
            None | Some(-1) => None,
            Some(v) => Some(
                i16::try_from(v)
                    .map_err(|_| row.err("qtyUnitCode", format!("{v} is not a unit code")))?,
            ),
        };
        let net_weight_estimated = match row.get("isNetWgtEstimated") {
            "" | "False" | "false" | "0" => false,
            "True" | "true" | "1" => true,
            c => return Err(row.err("isNetWgtEstimated", format!("{c:?} is not True or False"))),
        };
        Ok(TradeFlow {
            year,
            month,
            reporter,
            partner,
            partner2,
            flow,
            classification: row.get("classificationCode").to_string(),
            hs_code,
            mineral,
            stage,
            transport_mode: row.small("motCode", 0)?,
            supply_mode: row.small("mosCode", 0)?,
            customs_code: row.get("customsCode").to_string(),
            net_weight_kg: row.number("netWgt")?,
            net_weight_estimated,
            quantity: row.number("qty")?,
            quantity_unit,
            value_usd: row.number("primaryValue")?,
            cif_usd: row.number("cifvalue")?,
            fob_usd: row.number("fobvalue")?,
            provenance: Provenance {
                source: SOURCE.to_string(),
                release: RELEASE.to_string(),
                file: self.file.to_string(),
                line: row.line,
            },
        })
    }

    /// A reporter or partner: the aggregate and Comtrade-specific tables, the ISO numeric code,
    /// then the ISO and description columns.
    fn party(
        &self,
        row: &Row<'_>,
        code_col: &str,
        iso_col: &str,
        desc_col: &str,
    ) -> std::result::Result<Party, RowError> {
        let code = row.code(code_col, 0, i64::from(u16::MAX))? as u16;
        if let Some(&(_, a, _)) = AGGREGATE_CODES.iter().find(|(c, _, _)| *c == code) {
            return Ok(Party::Aggregate(a));
        }
        let countries = &self.reference.countries;
        if let Some(&(_, a3)) = COUNTRY_CODES.iter().find(|(c, _)| *c == code)
            && let Ok(c) = a3.parse()
            && countries.get(c).is_some()
        {
            return Ok(Party::Country(c));
        }
        if let Some(c) = countries.by_numeric(code) {
            return Ok(Party::Country(c.code));
        }
        for col in [iso_col, desc_col] {
            let t = row.get(col);
            if !t.is_empty()
                && let Some(p) = countries.resolve(t)
            {
                return Ok(p);
            }
        }
        Err(row.err(code_col, format!("unknown Comtrade area code {code}")))
    }

    /// The mineral and stage of an HS code (cached per code and commodity name).
    fn classify(&mut self, hs_code: &str, commodity: &str) -> (Option<MineralId>, Option<Stage>) {
        let key = (hs_code.to_string(), commodity.to_string());
        if let Some(v) = self.hs.get(&key) {
            return v.clone();
        }
        let minerals = &self.reference.minerals;
        let hits = classify_hs_code(minerals.minerals(), hs_code);
        let mut ids: Vec<&MineralId> = Vec::new();
        for (m, _) in &hits {
            if !ids.contains(&&m.id) {
                ids.push(&m.id);
            }
        }
        let chosen: Option<MineralId> = match ids.as_slice() {
            [one] => Some((*one).clone()),
            _ => minerals
                .resolve(commodity)
                .filter(|m| ids.contains(&&m.id))
                .map(|m| m.id.clone()),
        };
        let mut stages = hits
            .iter()
            .filter(|(m, _)| chosen.as_ref().is_none_or(|c| *c == m.id))
            .map(|(_, s)| *s);
        let stage = match stages.next() {
            Some(first) if stages.all(|s| s == first) => Some(first),
            _ => None,
        };
        let v = (chosen, stage);
        self.hs.insert(key, v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::Error;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference data"))
    }

    /// The Comtrade extract of SOURCES.md (test data only: not redistributed in the binary).
    const FIXTURES: [(&str, &[u8], usize); 8] = [
        (
            "cobalt_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/cobalt_trade_data.csv"),
            86,
        ),
        (
            "copper_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/copper_trade_data.csv"),
            75,
        ),
        (
            "gallium_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/gallium_trade_data.csv"),
            40,
        ),
        (
            "graphite_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/graphite_trade_data.csv"),
            80,
        ),
        (
            "heavy_ree_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/heavy_ree_trade_data.csv"),
            80,
        ),
        (
            "light_ree_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/light_ree_trade_data.csv"),
            80,
        ),
        (
            "lithium_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/lithium_trade_data.csv"),
            175,
        ),
        (
            "nickel_trade_data.csv",
            include_bytes!("../../fixtures/data/comtrade/nickel_trade_data.csv"),
            104,
        ),
    ];

    fn cobalt() -> Parsed<TradeFlow> {
        let (file, bytes, _) = FIXTURES[0];
        parse(file, bytes, reference()).unwrap()
    }

    fn country(c: &str) -> Party {
        Party::Country(c.parse().unwrap())
    }

    #[test]
    fn every_fixture_parses_without_rejects() {
        for (file, bytes, rows) in FIXTURES {
            let p = parse(file, bytes, reference()).unwrap();
            assert_eq!(p.rejects, vec![], "{file}");
            assert_eq!(p.records.len(), rows, "{file}");
            // Every flow of the extract is a mineral of the registry, at a known stage.
            for f in &p.records {
                assert!(
                    f.mineral.is_some() && f.stage.is_some(),
                    "{file}:{}",
                    f.provenance.line
                );
            }
        }
    }

    #[test]
    fn us_cobalt_imports_from_the_world_2022() {
        // cobalt_trade_data.csv: C,A,20220101,2022,52,2022,842,,,M,,0,…,H6,…,8105,…,
        // netWgt 9580581.0, cifvalue 553354352.0, fobvalue 549468638.0,
        // primaryValue 553354352.0.
        let p = cobalt();
        let f = p
            .records
            .iter()
            .find(|f| {
                f.reporter == country("USA")
                    && f.partner == Party::Aggregate(Aggregate::World)
                    && f.flow == TradeDirection::Import
                    && f.hs_code == "8105"
                    && f.year == 2022
            })
            .unwrap();
        assert_eq!(f.net_weight_kg, Some(9_580_581.0));
        assert_eq!(f.value_usd, Some(553_354_352.0));
        assert_eq!(f.cif_usd, Some(553_354_352.0));
        assert_eq!(f.fob_usd, Some(549_468_638.0));
        assert_eq!(f.quantity, Some(9_580_581.0));
        assert_eq!(f.quantity_unit, Some(8));
        assert_eq!(f.classification, "H6");
        assert_eq!(f.month, None);
        assert!(f.is_total());
        // HS 8105 (cobalt mattes and articles) → cobalt, refining (minerals.csv: 810520).
        assert_eq!(f.mineral.as_ref().map(MineralId::as_str), Some("cobalt"));
        assert_eq!(f.stage, Some(Stage::Refining));
    }

    #[test]
    fn dr_congo_cobalt_exports_to_china() {
        // cobalt_trade_data.csv line 2: 2021, reporter 180, X, partner 156, 8105,
        // netWgt 656225.0, primaryValue 3083513.084.
        let p = cobalt();
        let f = &p.records[0];
        assert_eq!(f.provenance.line, 2);
        assert_eq!((f.reporter, f.partner), (country("COD"), country("CHN")));
        assert_eq!(f.flow, TradeDirection::Export);
        assert_eq!(f.value_usd, Some(3_083_513.084));
        assert_eq!(f.cif_usd, None);
    }

    #[test]
    fn shared_hs_codes_are_decided_by_the_commodity_name() {
        // 253090 is lithium, rare earths and wollastonite in minerals.csv; the lithium extract
        // names "Lithium". Rows with motCode 2100 are breakdowns of the total.
        let (file, bytes, _) = FIXTURES[6];
        let p = parse(file, bytes, reference()).unwrap();
        let f = p.records.iter().find(|f| f.hs_code == "253090").unwrap();
        assert_eq!(f.mineral.as_ref().map(MineralId::as_str), Some("lithium"));
        assert_eq!(f.stage, Some(Stage::Mining));
        let sea = p.records.iter().find(|f| f.transport_mode == 2100).unwrap();
        assert!(!sea.is_total());
        // Without the name, the mineral is open but the stage is agreed.
        let csv = "refYear,reporterCode,flowCode,partnerCode,cmdCode,netWgt,primaryValue\n\
                   2022,36,X,156,253090,1,2\n";
        let p = parse("t.csv", csv.as_bytes(), reference()).unwrap();
        assert_eq!(p.records[0].mineral, None);
        assert_eq!(p.records[0].stage, Some(Stage::Mining));
        assert_eq!(p.records[0].reporter, country("AUS"));
    }

    #[test]
    fn aggregate_partner_codes() {
        let csv = "refYear,reporterCode,flowCode,partnerCode,cmdCode,netWgt,primaryValue\n\
                   2022,842,M,0,8105,1,2\n\
                   2022,842,M,97,8105,1,2\n\
                   2022,842,M,899,8105,1,2\n\
                   2022,842,M,490,8105,1,2\n\
                   2022,251,M,839,8105,1,2\n";
        let p = parse("t.csv", csv.as_bytes(), reference()).unwrap();
        assert_eq!(p.rejects, vec![]);
        let partners: Vec<Party> = p.records.iter().map(|f| f.partner).collect();
        assert_eq!(
            partners,
            vec![
                Party::Aggregate(Aggregate::World),
                Party::Aggregate(Aggregate::EuropeanUnion),
                Party::Aggregate(Aggregate::OtherGroup),
                Party::Aggregate(Aggregate::OtherGroup),
                Party::Aggregate(Aggregate::OtherGroup),
            ]
        );
        assert_eq!(p.records[4].reporter, country("FRA"));
    }

    #[test]
    fn bad_rows_are_rejected_with_line_and_field() {
        let csv = "refYear,reporterCode,flowCode,partnerCode,cmdCode,netWgt,primaryValue,freqCode,refMonth\n\
                   2022,842,M,0,8105,heavy,2,A,52\n\
                   2022,842,M,0,8105,1,2,M,5\n\
                   2022,1,M,0,8105,1,2,A,52\n\
                   2022,842,DX,0,8105,1,2,A,52\n\
                   20x2,842,M,0,8105,1,2,A,52\n\
                   2022,842,M,0,8105,1,2,M,13\n\
                   2022,842\n";
        let p = parse("t.csv", csv.as_bytes(), reference()).unwrap();
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].month, Some(5));
        let rejects: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            rejects,
            vec![
                (2, Some("netWgt")),
                (4, Some("reporterCode")),
                (5, Some("flowCode")),
                (6, Some("refYear")),
                (7, Some("refMonth")),
                (8, Some("flowCode")),
            ]
        );
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let csv =
            "refYear,reporterCode,flowCode,cmdCode,netWgt,primaryValue\n2022,842,M,8105,1,2\n";
        match parse("t.csv", csv.as_bytes(), reference()) {
            Err(Error::Header { field, .. }) => assert_eq!(field, "partnerCode"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_an_encoding_error() {
        let bytes = b"refYear,reporterCode,flowCode,partnerCode,cmdCode,netWgt,primaryValue\n\
                      2022,842,M,0,81\xFF05,1,2\n";
        assert!(matches!(
            parse("t.csv", bytes, reference()),
            Err(Error::Encoding { line: 2, .. })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse("p.csv", &bytes, reference());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9.,\"\\- \n]{0,300}") {
            let csv = format!(
                "refYear,reporterCode,flowCode,partnerCode,cmdCode,netWgt,primaryValue,\
                 freqCode,refMonth,partner2Code,qtyUnitCode,motCode\n{body}"
            );
            let _ = parse("p.csv", csv.as_bytes(), reference());
        }
    }
}
