//! A calendar day. Responses are stored with the day only, never a time, so this is all the
//! precision the product ever needs; a small type here keeps chrono out of the wasm bundle.

use std::fmt;
use std::str::FromStr;

/// A day in the proleptic Gregorian calendar, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a date as YYYY-MM-DD, got {0:?}")]
pub struct DateError(pub String);

impl Date {
    /// The day that contains `secs` seconds after 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date::from_days_since_epoch(secs.div_euclid(86_400))
    }

    /// Howard Hinnant's `civil_from_days`: exact for every day in range, no tables.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Howard Hinnant's `days_from_civil`: the inverse of [`Date::from_days_since_epoch`].
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn days_in_month(year: i32, month: u8) -> u8 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => 0,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &s[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8);
        if month == 0 || month > 12 || day == 0 || day > Date::days_in_month(year, month) {
            return Err(err());
        }
        Ok(Date { year, month, day })
    }
}

crate::serde_as_text!(Date);

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Welsh month names as the Welsh Government's style guide writes a date ("2 Medi 2026"): browsers'
/// `Intl` has no Welsh months, so pages that show dates in Welsh take them from here.
const MONTHS_CY: [&str; 12] = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
];

impl Date {
    /// The day as a reader writes it in `lang`: "2 September 2026", "2 Medi 2026".
    pub fn long(self, lang: crate::Lang) -> String {
        let months = lang.pick(&MONTHS_EN, &MONTHS_CY);
        format!("{} {} {}", self.day, months[usize::from(self.month - 1)], self.year)
    }

    /// Two days as a span in `lang`: "2 September 2026 to 23 September 2026", in Welsh with "i".
    pub fn span(self, to: Date, lang: crate::Lang) -> String {
        format!("{} {} {}", self.long(lang), lang.pick("to", "i"), to.long(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_known_days() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_seconds(1_795_219_199).to_string(), "2026-11-20");
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2024-02-29".parse::<Date>().unwrap(), Date { year: 2024, month: 2, day: 29 });
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024-01-00", "2024-0a-01", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in [-800_000, -1, 0, 1, 10_957, 20_413, 60_000, 2_932_896] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!("2026-11-21".parse::<Date>().unwrap().days_since_epoch(), 20_778);
    }

    #[test]
    fn long_dates_in_english_and_welsh() {
        let (a, b): (Date, Date) = ("2026-09-02".parse().unwrap(), "2026-09-23".parse().unwrap());
        assert_eq!(a.long(crate::Lang::En), "2 September 2026");
        assert_eq!(a.span(b, crate::Lang::Cy), "2 Medi 2026 i 23 Medi 2026");
        let first: Date = "2027-01-01".parse().unwrap();
        assert_eq!(first.long(crate::Lang::Cy), "1 Ionawr 2027");
    }

    #[test]
    fn orders_by_day() {
        let a: Date = "2025-12-31".parse().unwrap();
        let b: Date = "2026-01-01".parse().unwrap();
        assert!(a < b);
    }
}
