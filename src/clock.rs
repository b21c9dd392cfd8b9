//! What time it is: the system's clock, or a fixed one that tests set and move. Check-in
//! stamps and "today" come from here, so the screen follows midnight and tests need no
//! masking of times.

use crate::domain::Stamp;
use chrono::NaiveDate;
use std::sync::{Arc, Mutex};

/// A source of the current time.
pub trait Clock: Send + Sync {
    fn now(&self) -> Stamp;
    /// The day it is in the project's time zone.
    fn today(&self) -> NaiveDate {
        self.now().riga().date()
    }
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Stamp {
        Stamp::now()
    }
}

/// A clock that stands still until it is set (tests); clones share the time.
#[derive(Clone, Debug)]
pub struct FixedClock(Arc<Mutex<Stamp>>);

impl FixedClock {
    /// A clock at `hh:mm` of `day`, project time.
    pub fn at(day: NaiveDate, hour: u32, minute: u32) -> FixedClock {
        FixedClock(Arc::new(Mutex::new(stamp_at(day, hour, minute))))
    }

    /// Moves the clock to `hh:mm` of `day`, project time.
    pub fn set(&self, day: NaiveDate, hour: u32, minute: u32) {
        let t = stamp_at(day, hour, minute);
        match self.0.lock() {
            Ok(mut g) => *g = t,
            Err(p) => *p.into_inner() = t,
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Stamp {
        match self.0.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }
}

fn stamp_at(day: NaiveDate, hour: u32, minute: u32) -> Stamp {
    let local = day.and_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or_default();
    Stamp::from_riga(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_follows_midnight_when_moved() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
        let c = FixedClock::at(d, 23, 59);
        assert_eq!(c.today(), d);
        assert_eq!(c.now().riga().format("%H:%M").to_string(), "23:59");
        let next = d.succ_opt().expect("date");
        c.clone().set(next, 0, 1);
        assert_eq!(c.today(), next, "a clone moves the same clock");
    }
}
