//! `orewatch fetch ucdp-ged` against a local HTTP server serving a GED archive.

use std::io::{Read, Write};
use std::net::TcpListener;

use crate::common::{json, ok, store_copy};

/// A zip archive with one deflated member, written by hand (local header, data, central
/// directory, end record) so the test does not share the reader's code.
fn zip_one(name: &str, data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    let packed = enc.finish().unwrap();
    let mut crc = flate2::Crc::new();
    crc.update(data);
    let fields = |central: bool| {
        let mut h: Vec<u8> = Vec::new();
        if central {
            h.extend(20u16.to_le_bytes());
        }
        for v in [20u16, 0, 8, 0, 0x21] {
            h.extend(v.to_le_bytes());
        }
        h.extend(crc.sum().to_le_bytes());
        h.extend((packed.len() as u32).to_le_bytes());
        h.extend((data.len() as u32).to_le_bytes());
        h.extend((name.len() as u16).to_le_bytes());
        h.extend(0u16.to_le_bytes());
        if central {
            // Comment length, disk number, internal and external attributes, local offset 0.
            h.extend([0u8; 10]);
            h.extend(0u32.to_le_bytes());
        }
        h.extend(name.as_bytes());
        h
    };
    let mut z = b"PK\x03\x04".to_vec();
    z.extend(fields(false));
    z.extend(&packed);
    let cd_offset = z.len() as u32;
    let mut cd = b"PK\x01\x02".to_vec();
    cd.extend(fields(true));
    let cd_len = cd.len() as u32;
    z.extend(cd);
    z.extend(b"PK\x05\x06");
    z.extend([0u8; 4]);
    z.extend(1u16.to_le_bytes());
    z.extend(1u16.to_le_bytes());
    z.extend(cd_len.to_le_bytes());
    z.extend(cd_offset.to_le_bytes());
    z.extend(0u16.to_le_bytes());
    z
}

/// Serves `body` to each of `n` requests on a loopback port; returns the URL.
fn serve(body: Vec<u8>, n: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let mut s = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(&body).unwrap();
        }
    });
    format!("http://{addr}/ged231-csv.zip")
}

#[test]
fn fetch_downloads_unzips_and_imports_the_ged() {
    // A GED archive in the publisher's layout (one CSV inside a zip), built from the header
    // and the first 100 events of the shipped 1,000-event sample of GED 23.1 (records, not
    // lines: some fields hold line breaks).
    let sample = orewatch_ingest::builtin::file("ucdp-ged/ged231_sample1000.csv").unwrap();
    let mut rdr = csv::Reader::from_reader(sample);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(rdr.headers().unwrap()).unwrap();
    for rec in rdr.records().take(100) {
        w.write_record(&rec.unwrap()).unwrap();
    }
    let head = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let zipped = zip_one("ged231-fetched.csv", head.as_bytes());
    let store = store_copy();
    let before = json(store.path(), &["sql", "SELECT COUNT(*) AS n FROM events"]);
    let url = serve(zipped, 1);
    ok(store.path(), &["fetch", "ucdp-ged", "--url", &url]);
    assert!(store.path().join("downloads/ged231-csv.zip").exists());
    let after = json(
        store.path(),
        &[
            "sql",
            "SELECT COUNT(*) AS n FROM events WHERE source_file = 'ged231-fetched.csv'",
        ],
    );
    assert_eq!(after["rows"][0]["n"], 100);
    let total = json(store.path(), &["sql", "SELECT COUNT(*) AS n FROM events"]);
    assert_eq!(
        total["rows"][0]["n"].as_u64().unwrap(),
        before["rows"][0]["n"].as_u64().unwrap() + 100
    );
}
