//! Reading one member of a zip archive (the format UCDP ships the GED in).
//!
//! Only what a publisher's archive needs: the central directory, stored (0) and deflated (8)
//! members, CRC-32 checked. ZIP64 archives (members over 4 GiB) and encryption are refused
//! with a clear error. Deflate is flate2's, already in the build through Parquet.

use std::io::Read as _;

use anyhow::{Context as _, Result, bail};

fn u16_at(b: &[u8], at: usize) -> Result<u16> {
    let s = b.get(at..at + 2).context("zip: truncated archive")?;
    Ok(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    let s = b.get(at..at + 4).context("zip: truncated archive")?;
    Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A member of the central directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Its name (path inside the archive).
    pub name: String,
    method: u16,
    flags: u16,
    crc: u32,
    compressed: u32,
    uncompressed: u32,
    local_offset: u32,
}

/// Whether the bytes start like a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The members listed in the central directory.
pub fn members(b: &[u8]) -> Result<Vec<Member>> {
    // The end-of-central-directory record: signature 0x06054b50, within the last 64 KiB + 22.
    let min = b.len().saturating_sub(22 + 65_535);
    let eocd = (min..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| b[i..].starts_with(b"PK\x05\x06"))
        .context("zip: no end-of-central-directory record (truncated or not a zip)")?;
    let count = u16_at(b, eocd + 10)? as usize;
    let mut at = u32_at(b, eocd + 16)? as usize;
    if at == 0xFFFF_FFFF {
        bail!("zip: ZIP64 archives are not supported");
    }
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(b, at)? != 0x0201_4b50 {
            bail!("zip: broken central directory at byte {at}");
        }
        let name_len = u16_at(b, at + 28)? as usize;
        let extra_len = u16_at(b, at + 30)? as usize;
        let comment_len = u16_at(b, at + 32)? as usize;
        let name = b
            .get(at + 46..at + 46 + name_len)
            .context("zip: truncated archive")?;
        out.push(Member {
            name: String::from_utf8_lossy(name).into_owned(),
            flags: u16_at(b, at + 8)?,
            method: u16_at(b, at + 10)?,
            crc: u32_at(b, at + 16)?,
            compressed: u32_at(b, at + 20)?,
            uncompressed: u32_at(b, at + 24)?,
            local_offset: u32_at(b, at + 42)?,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(out)
}

/// The uncompressed bytes of a member, checked against its CRC-32.
pub fn read(b: &[u8], m: &Member) -> Result<Vec<u8>> {
    if m.flags & 1 != 0 {
        bail!("zip: {} is encrypted", m.name);
    }
    if m.compressed == 0xFFFF_FFFF || m.uncompressed == 0xFFFF_FFFF {
        bail!("zip: {} needs ZIP64, which is not supported", m.name);
    }
    let at = m.local_offset as usize;
    if u32_at(b, at)? != 0x0403_4b50 {
        bail!("zip: no local header for {} at byte {at}", m.name);
    }
    let start = at + 30 + u16_at(b, at + 26)? as usize + u16_at(b, at + 28)? as usize;
    let data = b
        .get(start..start + m.compressed as usize)
        .with_context(|| format!("zip: {} is truncated", m.name))?;
    let mut out = Vec::with_capacity(m.uncompressed as usize);
    match m.method {
        0 => out.extend_from_slice(data),
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .read_to_end(&mut out)
                .with_context(|| format!("zip: inflating {}", m.name))?;
        }
        other => bail!(
            "zip: {} uses compression method {other}; only stored and deflate are read",
            m.name
        ),
    }
    if out.len() != m.uncompressed as usize {
        bail!(
            "zip: {} inflated to {} bytes, the directory says {}",
            m.name,
            out.len(),
            m.uncompressed
        );
    }
    let mut crc = flate2::Crc::new();
    crc.update(&out);
    if crc.sum() != m.crc {
        bail!("zip: {} fails its CRC-32 check (corrupt download?)", m.name);
    }
    Ok(out)
}

/// Writes a zip archive of deflated members (for tests).
#[cfg(test)]
pub fn write(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in members {
        let mut enc =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = enc.write_all(data);
        let packed = enc.finish().unwrap_or_default();
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&8u16.to_le_bytes());
            h.extend_from_slice(&[0, 0, 0x21, 0]);
            h.extend_from_slice(&crc.sum().to_le_bytes());
            h.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                // Comment length, disk number, internal and external attributes.
                h.extend_from_slice(&[0; 10]);
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(&packed);
        central.extend(head(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend(central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let csv = b"id,year\n1,2020\n2,2021\n".repeat(50);
        let z = write(&[("readme.txt", b"hello"), ("ged.csv", &csv)]);
        assert!(is_zip(&z));
        let m = members(&z).unwrap();
        assert_eq!(
            m.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            ["readme.txt", "ged.csv"]
        );
        assert_eq!(read(&z, &m[1]).unwrap(), csv);
        // A flipped byte in the data fails the CRC or the inflate.
        let mut bad = z.clone();
        let at = m[1].local_offset as usize + 30 + "ged.csv".len() + 3;
        bad[at] ^= 0xFF;
        assert!(read(&bad, &m[1]).is_err());
        // A truncated archive has no directory.
        assert!(members(&z[..z.len() / 2]).is_err());
    }
}
