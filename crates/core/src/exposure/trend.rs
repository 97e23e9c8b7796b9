//! Exposure over rolling windows: is the violence around a site rising?
//!
//! A trend is a series of windows of [`TrendParams::window_months`] calendar months (12 by
//! default), ending on `as_of`, `as_of − step`, `as_of − 2·step`, … A window ending on day `t`
//! holds the events dated after `t − 12 months` and up to `t`. Within a window every event
//! weighs `severity · kind_weight · precision_weight · K_d(distance)` (records of one event
//! from several sources counted once): the recency kernel is turned off, so that
//! each point measures that year's violence as it was, and the series can be compared point
//! to point (with decay, every window would favour its own last months). The radius, the
//! distance kernel, the severity, the kind and precision weights and the de-duplication rule
//! are those of the [`ExposureParams`] given; its half-life and window are replaced by the
//! trend's.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::exposure::params::ExposureParams;
use crate::exposure::site::{EventIndex, Exposure};
use crate::geo::LatLon;
use crate::{Error, Result};

/// The shape of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendParams {
    /// Length of each window in calendar months (default 12).
    pub window_months: u32,
    /// Months between the ends of two consecutive windows (default 3: quarterly points).
    pub step_months: u32,
    /// Number of windows (default 8: two years of quarterly points, the oldest window
    /// starting 33 months before `as_of`).
    pub windows: usize,
}

impl Default for TrendParams {
    fn default() -> Self {
        TrendParams {
            window_months: 12,
            step_months: 3,
            windows: 8,
        }
    }
}

/// One window of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The first day in the window.
    pub window_start: NaiveDate,
    /// The last day in the window (the `as_of` of this point).
    pub window_end: NaiveDate,
    /// The window's score, without recency decay.
    pub exposure: Exposure,
}

/// The trend of a site's exposure, oldest window first.
///
/// # Errors
/// [`Error::OutOfRange`] when a parameter is invalid (a window or step of zero months, or
/// the exposure parameters), or when the windows reach before the calendar's range.
pub fn trend(
    events: &EventIndex<'_>,
    site: LatLon,
    params: &ExposureParams,
    shape: &TrendParams,
    as_of: NaiveDate,
) -> Result<Vec<TrendPoint>> {
    params.validate()?;
    for (what, v) in [
        ("trend window (months)", shape.window_months),
        ("trend step (months)", shape.step_months),
    ] {
        if v == 0 {
            return Err(Error::OutOfRange {
                what,
                expected: "≥ 1",
                value: 0.0,
            });
        }
    }
    let out_of_calendar = |k: usize| Error::OutOfRange {
        what: "trend window",
        expected: "within the calendar's range",
        value: k as f64,
    };
    let mut out = Vec::with_capacity(shape.windows);
    for k in (0..shape.windows).rev() {
        let back = u32::try_from(k)
            .ok()
            .and_then(|k| k.checked_mul(shape.step_months))
            .ok_or_else(|| out_of_calendar(k))?;
        let end = as_of
            .checked_sub_months(Months::new(back))
            .ok_or_else(|| out_of_calendar(k))?;
        let before = end
            .checked_sub_months(Months::new(shape.window_months))
            .ok_or_else(|| out_of_calendar(k))?;
        // Ages 0 … days−1 are the days before + 1 … end.
        let days = u32::try_from((end - before).num_days()).map_err(|_| out_of_calendar(k))?;
        let p = ExposureParams {
            half_life_days: f64::INFINITY,
            window_days: days,
            ..*params
        };
        let exposure = events.explain(site, &p, end)?.exposure;
        out.push(TrendPoint {
            window_start: before.succ_opt().unwrap_or(before),
            window_end: end,
            exposure,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposure::site::tests::{ORIGIN, day, event};
    use crate::model::{EventKind, EventSource};

    #[test]
    fn quarterly_windows_count_each_event_in_every_window_holding_it() {
        let ev = vec![
            // 10 km, no deaths, 2023-09-15 and 2024-06-30.
            event(
                "1",
                EventSource::UcdpGed,
                10.0,
                day(2023, 9, 15),
                0,
                EventKind::Battle,
            ),
            event(
                "2",
                EventSource::UcdpGed,
                10.0,
                day(2024, 6, 30),
                0,
                EventKind::Battle,
            ),
        ];
        let idx = EventIndex::new(&ev);
        let p = ExposureParams::default();
        let t = trend(&idx, ORIGIN, &p, &TrendParams::default(), day(2024, 7, 1)).unwrap();
        assert_eq!(t.len(), 8);
        let ends: Vec<NaiveDate> = t.iter().map(|x| x.window_end).collect();
        assert_eq!(ends[0], day(2022, 10, 1));
        assert_eq!(ends[7], day(2024, 7, 1));
        assert_eq!(t[7].window_start, day(2023, 7, 2));
        // Each event weighs 1 · exp(−10²/5000) = 0.980199, whatever its age.
        let w = (-100.0f64 / 5000.0).exp();
        let scores: Vec<f64> = t.iter().map(|x| x.exposure.score.curated).collect();
        // Windows ending 2022-10-01 … 2023-07-01 hold nothing; 2023-10-01 … 2024-04-01 hold
        // event 1; 2024-07-01 holds both.
        assert_eq!(&scores[..4], &[0.0; 4]);
        for s in &scores[4..7] {
            assert!((s - w).abs() < 1e-15);
        }
        assert!((scores[7] - 2.0 * w).abs() < 1e-15);
        // The window ending 2024-10-01 would drop event 1 (2023-09-15 ≤ 2023-10-01).
        let later = trend(
            &idx,
            ORIGIN,
            &p,
            &TrendParams {
                windows: 1,
                ..TrendParams::default()
            },
            day(2024, 10, 1),
        )
        .unwrap();
        assert!((later[0].exposure.score.curated - w).abs() < 1e-15);
    }

    #[test]
    fn zero_months_is_an_error() {
        let idx = EventIndex::new(&[]);
        let bad = TrendParams {
            step_months: 0,
            ..TrendParams::default()
        };
        assert!(
            trend(
                &idx,
                ORIGIN,
                &ExposureParams::default(),
                &bad,
                day(2024, 1, 1)
            )
            .is_err()
        );
        let none = TrendParams {
            windows: 0,
            ..TrendParams::default()
        };
        let t = trend(
            &idx,
            ORIGIN,
            &ExposureParams::default(),
            &none,
            day(2024, 1, 1),
        );
        assert_eq!(t.unwrap(), vec![]);
    }
}
