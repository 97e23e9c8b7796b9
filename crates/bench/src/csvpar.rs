//! A parallel CSV reader for the benchmark tables: the file is split at line boundaries
//! into one piece per worker, each piece read by the `csv` crate on its own rayon task.
//!
//! DuckDB and pandas' pyarrow engine read CSV on several threads; so does this, so that the
//! load phase compares like with like. The tables it reads are plain (no quoted newlines),
//! which is what makes splitting at any `\n` safe.

use rayon::prelude::*;

/// The header's column names and the rows, in file order.
pub type Table<T> = (Vec<String>, Vec<T>);

/// Reads `bytes` (a CSV file with a header line) with `row` turning each record into a `T`.
///
/// # Errors
/// The first row that `row` rejects, with its piece-relative record number, or a CSV error.
pub fn read<T, F>(bytes: &[u8], row: F) -> Result<Table<T>, String>
where
    T: Send,
    F: Fn(&csv::ByteRecord) -> Result<T, String> + Sync,
{
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    let header = header_names(&bytes[..header_end])?;
    let body = &bytes[header_end..];
    let pieces = split(body, 4 * rayon::current_num_threads().max(1));
    let parts: Vec<Result<Vec<T>, String>> = pieces
        .par_iter()
        .map(|piece| {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(*piece);
            let mut rec = csv::ByteRecord::new();
            let mut out = Vec::with_capacity(piece.len() / 32);
            let mut n = 0u64;
            loop {
                match rdr.read_byte_record(&mut rec) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => return Err(e.to_string()),
                }
                n += 1;
                out.push(row(&rec).map_err(|e| format!("record {n} of a piece: {e}"))?);
            }
            Ok(out)
        })
        .collect();
    let mut rows = Vec::new();
    for p in parts {
        rows.append(&mut p?);
    }
    Ok((header, rows))
}

/// Reads a plain numeric CSV with a header line: no quotes, no empty cells, `\n` or `\r\n`
/// line ends. `row` reads one row's fields from a [`Cursor`] in order; the rows are read in
/// parallel pieces as in [`read`], without the `csv` crate's general record splitting
/// (the synthetic tables of the benchmarks are this simple, and the fields are parsed with
/// the standard library's `f64` parser).
///
/// # Errors
/// The first malformed row, with its piece-relative row number.
pub fn read_plain<T, F>(bytes: &[u8], row: F) -> Result<Table<T>, String>
where
    T: Send,
    F: Fn(&mut Cursor<'_>) -> Result<T, String> + Sync,
{
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1);
    let header = header_names(&bytes[..header_end])?;
    let body = &bytes[header_end..];
    let pieces = split(body, 4 * rayon::current_num_threads().max(1));
    let parts: Vec<Result<Vec<T>, String>> = pieces
        .par_iter()
        .map(|piece| {
            let mut cur = Cursor {
                bytes: piece,
                pos: 0,
            };
            let mut out = Vec::with_capacity(piece.len() / 24);
            let mut n = 0u64;
            while cur.pos < piece.len() {
                n += 1;
                let r = row(&mut cur).map_err(|e| format!("row {n} of a piece: {e}"))?;
                cur.end_row()
                    .map_err(|e| format!("row {n} of a piece: {e}"))?;
                out.push(r);
            }
            Ok(out)
        })
        .collect();
    let total = parts.iter().map(|p| p.as_ref().map_or(0, Vec::len)).sum();
    let mut rows = Vec::with_capacity(total);
    for p in parts {
        rows.append(&mut p?);
    }
    Ok((header, rows))
}

/// A position in a plain CSV piece (see [`read_plain`]).
#[derive(Debug)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// The next field's bytes, consuming the `,` after it (not the line end).
    #[inline]
    fn field(&mut self) -> &'a [u8] {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        while i < b.len() && b[i] != b',' && b[i] != b'\n' && b[i] != b'\r' {
            i += 1;
        }
        self.pos = if i < b.len() && b[i] == b',' {
            i + 1
        } else {
            i
        };
        &b[start..i]
    }

    /// The next field as an unsigned integer.
    ///
    /// # Errors
    /// When it is empty or has a non-digit.
    #[inline]
    pub fn u32(&mut self) -> Result<u32, String> {
        let f = self.field();
        if f.is_empty() || f.len() > 9 {
            return Err(format!(
                "{:?} is not a small unsigned integer",
                String::from_utf8_lossy(f)
            ));
        }
        let mut v = 0u32;
        for &c in f {
            if !c.is_ascii_digit() {
                return Err(format!(
                    "{:?} is not an unsigned integer",
                    String::from_utf8_lossy(f)
                ));
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Ok(v)
    }

    /// The next field as a number.
    ///
    /// # Errors
    /// When it is not one.
    #[inline]
    pub fn f64(&mut self) -> Result<f64, String> {
        let f = self.field();
        std::str::from_utf8(f)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{:?} is not a number", String::from_utf8_lossy(f)))
    }

    /// Consumes the line end (or checks the end of the piece).
    fn end_row(&mut self) -> Result<(), String> {
        let b = self.bytes;
        if self.pos < b.len() && b[self.pos] == b'\r' {
            self.pos += 1;
        }
        if self.pos == b.len() {
            return Ok(());
        }
        if b[self.pos] == b'\n' {
            self.pos += 1;
            Ok(())
        } else {
            Err("more fields than expected".into())
        }
    }
}

/// The column names of a header line (quoted or not, with or without a BOM).
///
/// # Errors
/// A CSV error.
pub fn header_names(line: &[u8]) -> Result<Vec<String>, String> {
    let line = line
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(line);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let mut rec = csv::StringRecord::new();
    rdr.read_record(&mut rec).map_err(|e| e.to_string())?;
    Ok(rec.iter().map(|s| s.trim().to_string()).collect())
}

/// Splits `body` into about `n` pieces, each ending just after a `\n` (the last at the end).
fn split(body: &[u8], n: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(n);
    let target = body.len().div_ceil(n.max(1)).max(1);
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + target).min(body.len());
        while end < body.len() && body[end - 1] != b'\n' {
            end += 1;
        }
        pieces.push(&body[start..end]);
        start = end;
    }
    pieces
}

/// Field `i` of a record as `&str`.
///
/// # Errors
/// When the field is missing or not UTF-8.
pub fn field(rec: &csv::ByteRecord, i: usize) -> Result<&str, String> {
    let b = rec.get(i).ok_or_else(|| format!("field {i} missing"))?;
    std::str::from_utf8(b).map_err(|_| format!("field {i} is not UTF-8"))
}

/// Field `i` parsed as a number.
///
/// # Errors
/// When the field is missing or not a number.
pub fn num<T: std::str::FromStr>(rec: &csv::ByteRecord, i: usize) -> Result<T, String> {
    let s = field(rec, i)?;
    s.trim()
        .parse()
        .map_err(|_| format!("field {i} ({s:?}) is not a number"))
}

/// Field `i` as an optional number: empty is `None`.
///
/// # Errors
/// When the field is missing or neither empty nor a number.
pub fn opt_num(rec: &csv::ByteRecord, i: usize) -> Result<Option<f64>, String> {
    let s = field(rec, i)?.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        s.parse()
            .map(Some)
            .map_err(|_| format!("field {i} ({s:?}) is not a number"))
    }
}

/// The position of a column in a header.
///
/// # Errors
/// When the header lacks it.
pub fn column(header: &[String], name: &str) -> Result<usize, String> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("no column {name:?} in {header:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_body_in_order() {
        let mut text = String::from("a,b\n");
        for i in 0..1000 {
            text.push_str(&format!("{i},{}\n", i * 2));
        }
        let (h, rows) = read(text.as_bytes(), |r| {
            Ok((num::<u32>(r, 0)?, num::<u32>(r, 1)?))
        })
        .unwrap();
        assert_eq!(h, ["a", "b"]);
        assert_eq!(rows.len(), 1000);
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, r)| r.0 as usize == i && r.1 == r.0 * 2)
        );
        // No trailing newline, and an empty body.
        let (h, rows) = read(b"\"a\",\"b\"\n1,0\n2,0", |r| num::<u32>(r, 0)).unwrap();
        assert_eq!(h, ["a", "b"]);
        assert_eq!(rows, [1, 2]);
        let (_, rows) = read(b"a\n", |r| num::<u32>(r, 0)).unwrap();
        assert!(rows.is_empty());
        assert!(read(b"a\nx\n", |r| num::<u32>(r, 0)).is_err());
        // The plain reader.
        let (h, rows) =
            read_plain(b"a,b\n1,2.5\r\n3,-4e1\n", |c| Ok((c.u32()?, c.f64()?))).unwrap();
        assert_eq!(h, ["a", "b"]);
        assert_eq!(rows, [(1, 2.5), (3, -40.0)]);
        assert!(read_plain(b"a\n1,2\n", |c| c.u32()).is_err());
        assert!(read_plain(b"a\nx\n", |c| c.u32()).is_err());
        assert!(read_plain(b"a\n\n", |c| c.f64()).is_err());
    }
}
