//! Records and rejects name the line they are on in the file, whatever its line ends (CRLF,
//! as the shipped WGI, GeoNames and MinMod files have) and however many blank lines the CSV
//! reader skips before them.

use orewatch_core::geo::CountryShapes;
use orewatch_core::model::site::Gazetteer;
use orewatch_ingest::{Parsed, Reference, RowError, builtin, geonames, sites, ucdp_ged, wgi};
use std::sync::OnceLock;

fn reference() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| Reference::builtin().expect("built-in reference"))
}

/// The line and field of every reject.
fn rejects(r: &[RowError]) -> Vec<(u64, &str)> {
    r.iter()
        .map(|e| (e.line, e.field.as_deref().unwrap_or("")))
        .collect()
}

/// The same rows with CRLF line ends, and with LF line ends and blank lines (`\n\n`, an empty
/// CRLF line, a BOM) before data rows, with the line each data row then starts on.
fn variants(header: &str, rows: &[&str]) -> Vec<(String, Vec<u64>)> {
    let mut crlf = format!("{header}\r\n");
    for r in rows {
        crlf.push_str(r);
        crlf.push_str("\r\n");
    }
    let crlf_lines = (2..).take(rows.len()).collect();
    // header, blank, row 1 (line 3), 2 blanks, row 2 (line 6), blank CRLF line, row 3 (line 8)...
    let mut blank = format!("\u{feff}{header}\n\n");
    let mut blank_lines = Vec::new();
    let mut line = 3;
    for (i, r) in rows.iter().enumerate() {
        blank.push_str(r);
        blank.push('\n');
        blank_lines.push(line);
        let gap = if i % 2 == 0 { "\n\n" } else { "\r\n" };
        blank.push_str(gap);
        line += 1 + gap.matches('\n').count() as u64;
    }
    vec![(crlf, crlf_lines), (blank, blank_lines)]
}

const GED_HEADER: &str = "id,type_of_violence,where_prec,latitude,longitude,country,country_id,\
                          date_prec,date_start,date_end,best,high,low,conflict_name";

#[test]
fn ucdp_ged_lines_after_crlf_and_blank_lines() {
    // parse_named, shared with ACLED and Comtrade. The third row has a quoted name over two
    // lines, so the row after it starts two lines further on.
    let rows = [
        "1,1,1,33.7,73.1,Pakistan,770,1,2020-01-01,2020-01-01,1,1,1,x",
        "2,9,1,33.7,73.1,Pakistan,770,1,2020-01-01,2020-01-01,1,1,1,x",
        "3,1,1,33.7,73.1,Pakistan,770,1,2020-01-02,2020-01-02,1,1,1,\"two\nlines\"",
        "4,1,1,33.7,73.1,Pakistan,770,1,2020-01-03,2020-01-03,1,1,x,y",
    ];
    for (text, at) in variants(GED_HEADER, &rows) {
        let p = ucdp_ged::parse("ged231.csv", text.as_bytes(), reference()).unwrap();
        let lines: Vec<u64> = p.records.iter().map(|e| e.provenance.line).collect();
        assert_eq!(lines, [at[0], at[2]], "{text:?}");
        assert_eq!(
            rejects(&p.rejects),
            [(at[1], "type_of_violence"), (at[3] + 1, "low")],
            "{text:?}"
        );
    }
}

#[test]
fn wgi_lines_after_crlf_and_blank_lines() {
    let header = "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2022\"";
    let rows = [
        "\"Pakistan\",\"PAK\",\"Political Stability\",\"PV.EST\",\"-1.9\"",
        "\"Pakistan\",\"PAK\",\"Political Stability\",\"PV.XXX\",\"1\"",
        "\"Chile\",\"CHL\",\"Control of Corruption\",\"CC.EST\",\"1.1\"",
        "\"Chile\",\"CHL\",\"Control of Corruption\",\"CC.STD.ERR\",\"x\"",
    ];
    for (text, at) in variants(header, &rows) {
        let p = wgi::parse("WGIData.csv", text.as_bytes(), reference()).unwrap();
        let lines: Vec<(String, u64)> = p
            .records
            .iter()
            .map(|r| (r.country.to_string(), r.provenance.line))
            .collect();
        assert_eq!(
            lines,
            [("PAK".to_string(), at[0]), ("CHL".to_string(), at[2])],
            "{text:?}"
        );
        assert_eq!(
            rejects(&p.rejects),
            [(at[1], "Indicator Code"), (at[3], "2022")],
            "{text:?}"
        );
    }
}

#[test]
fn geonames_lines_after_crlf_and_blank_lines() {
    let header = "geonameid,name,latitude,longitude,country_code,admin1_code,admin1_name,\
                  admin2_code,population,timezone";
    let rows = [
        "1,Quetta,30.18,66.99,PK,02,Balochistan,,1000,Asia/Karachi",
        "2,Nowhere,91.5,66.99,PK,02,Balochistan,,1000,Asia/Karachi",
        "3,Dalbandin,28.88,64.40,PK,02,Balochistan,,1000,Asia/Karachi",
        "x,Taftan,28.9,61.5,PK,02,Balochistan,,1000,Asia/Karachi",
    ];
    for (text, at) in variants(header, &rows) {
        let p: Parsed<_> = geonames::parse_cities("cities.csv", text.as_bytes()).unwrap();
        let names: Vec<&str> = p.records.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Quetta", "Dalbandin"]);
        assert_eq!(
            rejects(&p.rejects),
            [(at[1], "latitude"), (at[3], "geonameid")],
            "{text:?}"
        );
    }
}

#[test]
fn site_lines_after_crlf_and_blank_lines() {
    let header = "dataset,source_id,record_id,name,aliases,country,state_or_province,latitude,\
                  longitude,commodities,deposit_types";
    let rows = [
        "ds,src,1,Mine A,,Chile,,-22.3,-68.9,Copper,",
        "ds,src,2,Mine B,,Chile,,abc,-68.9,Copper,",
        "ds,src,3,Mine C,,Chile,,-23.3,-68.9,Copper,",
        "ds,src,4,Mine D,,Atlantis,,-23.3,-68.9,Copper,",
    ];
    let (shapes, gazetteer) = (CountryShapes::default(), Gazetteer::default());
    for (text, at) in variants(header, &rows) {
        let p = sites::parse(
            "sites.csv",
            text.as_bytes(),
            reference(),
            &shapes,
            &gazetteer,
        )
        .unwrap();
        let lines: Vec<u64> = p.records.iter().map(|s| s.provenances[0].line).collect();
        assert_eq!(lines, [at[0], at[2]], "{text:?}");
        assert_eq!(
            rejects(&p.rejects),
            [(at[1], "latitude"), (at[3], "country")],
            "{text:?}"
        );
    }
}

#[test]
fn shipped_crlf_files_give_the_lines_of_their_rows() {
    // data/wgi/WGIData_2023update.csv (BOM, CRLF): line 1 is the header, line 2
    // "Afghanistan","AFG","Control of Corruption: Estimate","CC.EST","-1.29170477390289",…
    const WGI: &str = "wgi/WGIData_2023update.csv";
    let p = wgi::parse(WGI, builtin::file(WGI).unwrap(), reference()).unwrap();
    let first = &p.records[0];
    assert_eq!(
        (first.country.as_str(), first.year, first.provenance.line),
        ("AFG", 1996, 2)
    );
    assert_eq!(first.estimate, Some(-1.29170477390289));
    // A record carries the line of the first row of its economy and dimension: the last
    // (7,704 data rows, 6 per dimension) is line 7,700, "Zimbabwe","ZWE","Voice and
    // Accountability: Estimate","VA.EST",…
    let last = p.records.iter().max_by_key(|r| r.provenance.line).unwrap();
    assert_eq!(
        (last.country.as_str(), last.provenance.line),
        ("ZWE", 7_700)
    );

    // data/mineral-sites/minmod_usgs_global_sites.csv (CRLF): line 2 is
    // "usgs_carbonatite,https://mrdata.usgs.gov/carbonatite,20,Prairie Lake,…".
    const SITES: &str = "mineral-sites/minmod_usgs_global_sites.csv";
    let p = sites::parse(
        SITES,
        builtin::file(SITES).unwrap(),
        reference(),
        &CountryShapes::default(),
        &Gazetteer::default(),
    )
    .unwrap();
    let first = &p.records[0].provenances[0];
    assert_eq!(
        (first.record_id.as_str(), first.name.as_str(), first.line),
        ("20", "Prairie Lake", 2)
    );
    // Its last line, 33,270: "gsc_world_tin_tungsten,https://doi.org/10.4095/295581,837,
    // Yxsjoberg,,Sweden,…".
    let last = &p.records.last().unwrap().provenances[0];
    assert_eq!(
        (last.record_id.as_str(), last.name.as_str(), last.line),
        ("837", "Yxsjoberg", 33_270)
    );
}
