//! The random stream of one Monte Carlo path: xoshiro256++ seeded from SplitMix64.
//!
//! Path `i` of a run with seed `s` starts xoshiro256++ (Blackman & Vigna 2018) from outputs
//! `4i … 4i + 3` of SplitMix64 seeded with `s`: every path has its own state, a function of
//! `(s, i)` only, so a path draws the same numbers on any thread. Setting up a path costs four
//! SplitMix64 steps, and a draw a handful of integer operations (ChaCha8, used before, spent
//! most of a path's random-number time refilling its block buffer). The generator is
//! implemented here, not taken from a crate, so that the streams (and the results of a seed)
//! do not change with a dependency's version.
//!
//! # References
//! - Blackman, D. & Vigna, S. (2021). Scrambled linear pseudorandom number generators.
//!   *ACM Transactions on Mathematical Software* 47(4).
//! - Steele, G. L., Lea, D. & Flood, C. H. (2014). Fast splittable pseudorandom number
//!   generators. *OOPSLA 2014* (SplitMix64).

use std::convert::Infallible;

use rand::TryRng;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Output `k` (0-based) of SplitMix64 seeded with `seed`.
#[inline]
fn splitmix64(seed: u64, k: u64) -> u64 {
    let mut z = seed.wrapping_add(GOLDEN.wrapping_mul(k.wrapping_add(1)));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256++: 256 bits of state, period 2²⁵⁶ − 1.
#[derive(Debug, Clone)]
pub(crate) struct PathRng {
    s: [u64; 4],
}

impl PathRng {
    /// The stream of path `path` of a run seeded with `seed`.
    pub(crate) fn for_path(seed: u64, path: u64) -> Self {
        let k = path.wrapping_mul(4);
        // Four consecutive outputs of a bijection of the counter are never all zero.
        PathRng {
            s: [
                splitmix64(seed, k),
                splitmix64(seed, k.wrapping_add(1)),
                splitmix64(seed, k.wrapping_add(2)),
                splitmix64(seed, k.wrapping_add(3)),
            ],
        }
    }

    #[inline]
    fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

impl TryRng for PathRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        // The high bits are the better ones.
        Ok((self.next() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let mut chunks = dst.chunks_exact_mut(8);
        for chunk in &mut chunks {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        let rem = chunks.into_remainder();
        if !rem.is_empty() {
            let v = self.next().to_le_bytes();
            rem.copy_from_slice(&v[..rem.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};

    #[test]
    fn xoshiro256plusplus_reference_output() {
        // The reference implementation from state {1, 2, 3, 4}.
        let mut r = PathRng { s: [1, 2, 3, 4] };
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, [41943041, 58720359, 3588806011781223]);
    }

    #[test]
    fn splitmix64_reference_output() {
        // SplitMix64 seeded with 1234567: 6457827717110365317, 3203168211198807973.
        assert_eq!(splitmix64(1_234_567, 0), 6_457_827_717_110_365_317);
        assert_eq!(splitmix64(1_234_567, 1), 3_203_168_211_198_807_973);
    }

    #[test]
    fn paths_have_distinct_reproducible_streams() {
        let a: Vec<u64> = {
            let mut r = PathRng::for_path(42, 7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = PathRng::for_path(42, 7);
            (0..4).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = PathRng::for_path(42, 8);
            (0..4).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Uniforms have mean 1/2.
        let mut r = PathRng::for_path(1, 0);
        let n = 100_000;
        let mean: f64 = (0..n).map(|_| r.random::<f64>()).sum::<f64>() / f64::from(n);
        assert!((mean - 0.5).abs() < 4.0 * (1.0 / 12.0 / f64::from(n)).sqrt());
    }
}
