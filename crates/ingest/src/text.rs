//! Decoding files as their publishers ship them: UTF-8 with or without a BOM, Windows-1252.

use std::borrow::Cow;

use crate::{Error, Result};

/// Decodes UTF-8, stripping a leading BOM. Invalid bytes are an error naming the file, the
/// line and the byte offset in that line.
pub fn decode_utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let before = &bytes[..at];
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count() as u64;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            Err(Error::Encoding {
                file: file.to_string(),
                line,
                offset: at - line_start,
                encoding: "UTF-8",
            })
        }
    }
}

/// Decodes Windows-1252 (the EU CRM 2023 appendix tables), which every byte sequence is. A
/// file that is in fact valid UTF-8 is read as UTF-8, so a re-saved copy reads the same.
pub fn decode_windows1252(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    s
}

/// A CSV reader over decoded text with flexible row lengths (rows are checked by the parsers,
/// which report short rows with their line).
pub fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
}

/// A CSV reader for another delimiter (tab-separated GDELT, semicolon-separated exports).
pub fn csv_reader_with(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Byte offsets of a text to 1-based line numbers.
///
/// `csv::Position::line()` cannot be used for the line of a record: after a CRLF line end it
/// lags one line behind (the reader consumes the `\n` of `\r\n` with the next record), and it
/// does not count the blank lines the reader skips. The byte offset of a record points at the
/// start of those skipped line ends, which [`LineIndex::line_at`] steps over.
///
/// Build it over the very text the CSV reader reads (after decoding and BOM stripping), so
/// that the reader's byte offsets index it.
pub(crate) struct LineIndex<'t> {
    text: &'t [u8],
    newlines: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the line ends of `text`.
    pub(crate) fn new(text: &'t str) -> LineIndex<'t> {
        let text = text.as_bytes();
        LineIndex {
            text,
            newlines: (0..text.len()).filter(|&i| text[i] == b'\n').collect(),
        }
    }

    /// The line of the first character at or after `offset` that is not a line break (the
    /// line a record starting at `offset` begins on; records never start with a line end).
    pub(crate) fn line_at(&self, offset: u64) -> u64 {
        let len = self.text.len();
        let mut at = usize::try_from(offset).unwrap_or(len).min(len);
        while at < len && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        1 + self.newlines.partition_point(|&p| p < at) as u64
    }

    /// The line of a position the CSV reader reported, or of `fallback` (a byte offset) when
    /// it reported none.
    pub(crate) fn line_of(&self, position: Option<&csv::Position>, fallback: u64) -> u64 {
        self.line_at(position.map_or(fallback, csv::Position::byte))
    }

    /// Reads the next record that is not blank into `rec` and returns its line; `None` at the
    /// end of the text; a reader error as a [`crate::RowError`] on its line (the caller decides
    /// whether it ends the file or is one rejected row). `rdr` must read this index's text.
    pub(crate) fn next_record(
        &self,
        file: &str,
        rdr: &mut csv::Reader<&[u8]>,
        rec: &mut csv::StringRecord,
    ) -> std::result::Result<Option<u64>, crate::RowError> {
        loop {
            let before = rdr.position().byte();
            match rdr.read_record(rec) {
                Ok(false) => return Ok(None),
                Ok(true) if rec.iter().all(|c| c.trim().is_empty()) => {}
                Ok(true) => return Ok(Some(self.line_of(rec.position(), before))),
                Err(e) => {
                    let line = self.line_of(e.position(), before);
                    return Err(crate::RowError::new(file, line, None, e.to_string()));
                }
            }
        }
    }
}

/// Reads the header row: the trimmed cell texts and a lookup from name to position.
pub fn header(file: &str, rdr: &mut csv::Reader<&[u8]>) -> Result<Header> {
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => Ok(Header {
            names: rec.iter().map(|s| s.trim().to_string()).collect(),
        }),
        Ok(false) => Err(Error::Empty {
            file: file.to_string(),
            reason: "no header row".into(),
        }),
        Err(e) => Err(Error::Row(crate::RowError::new(
            file,
            1,
            None,
            e.to_string(),
        ))),
    }
}

/// The header row of a CSV file.
#[derive(Debug, Clone)]
pub struct Header {
    /// Column names, trimmed.
    pub names: Vec<String>,
}

impl Header {
    /// Position of a column, by exact name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Position of a column that must exist; a header error naming it otherwise.
    pub fn require(&self, file: &str, name: &str) -> Result<usize> {
        self.position(name)
            .ok_or_else(|| Error::header(file, name, "required column is missing"))
    }
}

/// Reads a CSV whose columns are found by name: the `required` ones must be in the header
/// (an [`Error::Header`] otherwise), the `optional` ones are used when present. Blank rows are
/// skipped; a row shorter than the columns used is rejected naming its first missing field;
/// every other row goes to `row`, whose errors are rejects. A row the CSV reader itself cannot
/// read stops the file.
pub(crate) fn parse_named<T>(
    file: &str,
    text: &str,
    required: &[&'static str],
    optional: &[&'static str],
    mut row: impl FnMut(&NamedRow<'_>) -> std::result::Result<T, crate::RowError>,
) -> Result<crate::Parsed<T>> {
    let mut rdr = csv_reader(text);
    let h = header(file, &mut rdr)?;
    let mut col: std::collections::HashMap<&'static str, usize> = std::collections::HashMap::new();
    for &name in required {
        col.insert(name, h.require(file, name)?);
    }
    for &name in optional {
        if let Some(i) = h.position(name) {
            col.insert(name, i);
        }
    }
    let width = col.values().max().map_or(0, |m| m + 1);
    let mut out = crate::Parsed::default();
    let lines = LineIndex::new(text);
    let mut rec = csv::StringRecord::new();
    while let Some(line) = lines.next_record(file, &mut rdr, &mut rec)? {
        if rec.len() < width {
            out.rejects.push(crate::RowError::new(
                file,
                line,
                h.names.get(rec.len()).map(String::as_str),
                format!("row has {} fields, the header {}", rec.len(), h.names.len()),
            ));
            continue;
        }
        match row(&NamedRow {
            rec: &rec,
            col: &col,
            file,
            line,
        }) {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

/// One data row with its header index: cells by column name, and errors that name the file,
/// line and column. Shared by the parsers whose columns are found by name.
pub(crate) struct NamedRow<'a> {
    /// The record.
    pub(crate) rec: &'a csv::StringRecord,
    /// Column name → position.
    pub(crate) col: &'a std::collections::HashMap<&'static str, usize>,
    /// The file, for errors.
    pub(crate) file: &'a str,
    /// The 1-based line, for errors.
    pub(crate) line: u64,
}

impl NamedRow<'_> {
    /// The trimmed cell of a column, empty when the column is absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.col
            .get(name)
            .and_then(|&i| self.rec.get(i))
            .map_or("", str::trim)
    }

    /// A rejected row, naming the column.
    pub(crate) fn err(&self, field: &str, reason: impl Into<String>) -> crate::RowError {
        crate::RowError::new(self.file, self.line, Some(field), reason)
    }

    /// Parses a cell with `f`, or an error naming the column and the text.
    pub(crate) fn parsed<T>(
        &self,
        name: &str,
        what: &str,
        f: impl Fn(&str) -> Option<T>,
    ) -> std::result::Result<T, crate::RowError> {
        let c = self.get(name);
        f(c).ok_or_else(|| self.err(name, format!("{c:?} is not {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_bad_bytes_located() {
        assert_eq!(decode_utf8("f", b"\xEF\xBB\xBFa,b").unwrap(), "a,b");
        match decode_utf8("f.csv", b"a,b\nc,\xFFd\n") {
            Err(Error::Encoding { line, offset, .. }) => {
                assert_eq!((line, offset), (2, 2));
            }
            other => panic!("{other:?}"),
        }
    }

    /// The line of every record as `parse_named` computes it.
    fn record_lines(text: &str) -> Vec<(u64, String)> {
        let lines = LineIndex::new(text);
        let mut rdr = csv_reader(text);
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        loop {
            let before = rdr.position().byte();
            if !rdr.read_record(&mut rec).unwrap() {
                break;
            }
            out.push((lines.line_of(rec.position(), before), rec[0].to_string()));
        }
        out
    }

    #[test]
    fn lines_of_records_after_crlf_blank_lines_and_quoted_line_breaks() {
        let at = |t: &str| record_lines(t);
        let want = |v: &[(u64, &str)]| -> Vec<(u64, String)> {
            v.iter().map(|&(l, s)| (l, s.to_string())).collect()
        };
        assert_eq!(at("h\r\na\r\nb\r\n"), want(&[(1, "h"), (2, "a"), (3, "b")]));
        assert_eq!(at("h\n\na\n\n\nb"), want(&[(1, "h"), (3, "a"), (6, "b")]));
        assert_eq!(
            at("\r\nh\r\n\r\na\r\r\nb\r\n"),
            // A lone `\r` ends a record but not a line.
            want(&[(2, "h"), (4, "a"), (5, "b")])
        );
        assert_eq!(
            at("h\n\"x\r\ny\"\nb\n"),
            want(&[(1, "h"), (2, "x\r\ny"), (4, "b")])
        );
        // Offsets index the decoded text: a BOM stripped by `decode_utf8` shifts nothing.
        let text = decode_utf8("f", b"\xEF\xBB\xBFh\r\n\r\na,\xC3\xA9\r\nb").unwrap();
        assert_eq!(at(&text), want(&[(1, "h"), (3, "a"), (4, "b")]));
        // Past the end, the last line.
        assert_eq!(LineIndex::new("a\nb\n").line_at(99), 3);
    }

    #[test]
    fn windows_1252_euro_sign() {
        assert_eq!(decode_windows1252(b"204\x80"), "204€");
    }
}
