//! Partial ISO dates (`2024`, `2024-10`, `2024-10-16`) and intervals (`2022/2023`, `/2024-11`),
//! resolved to the first and last full day they cover so that ranges compare in SQL.

use std::fmt;

use time::{Date, Month};

/// A date as curated, with the full days it spans. An open side of an interval is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    pub text: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

impl DateRange {
    /// Parses a partial date or an interval; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<DateRange, String> {
        let (start, end) = match text.split_once('/') {
            None => {
                let (first, last) = parse_partial(text)?;
                (Some(first), Some(last))
            }
            Some((a, b)) => {
                if b.contains('/') {
                    return Err("an interval has one `/`".into());
                }
                if a.is_empty() && b.is_empty() {
                    return Err("an interval needs a start or an end".into());
                }
                let start = (!a.is_empty())
                    .then(|| parse_partial(a).map(|(first, _)| first))
                    .transpose()?;
                let end = (!b.is_empty())
                    .then(|| parse_partial(b).map(|(_, last)| last))
                    .transpose()?;
                if let (Some(s), Some(e)) = (start, end)
                    && s > e
                {
                    return Err(format!("the interval ends before it starts ({s} > {e})"));
                }
                (start, end)
            }
        };
        Ok(DateRange {
            text: text.to_owned(),
            start,
            end,
        })
    }

    /// Whether two ranges share at least one day; an open side extends without limit.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        let starts_before_other_ends = match (self.start, other.end) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.start, self.end) {
            (Some(s), Some(e)) => s <= e,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    pub fn start_iso(&self) -> Option<String> {
        self.start.map(iso)
    }

    pub fn end_iso(&self) -> Option<String> {
        self.end.map(iso)
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `YYYY-MM-DD`, with the year always four digits so that text order is date order.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn parse_partial(text: &str) -> Result<(Date, Date), String> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str, digits: usize, what: &str| -> Result<u32, String> {
        if part.len() != digits || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "`{text}` is not a date: the {what} must have {digits} digits (YYYY, YYYY-MM or YYYY-MM-DD)"
            ));
        }
        Ok(part.parse().expect("digits parse"))
    };
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!(
            "`{text}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        ));
    }
    let year = i32::try_from(number(parts[0], 4, "year")?).expect("four digits fit");
    if year == 0 {
        return Err(format!("`{text}`: there is no year 0"));
    }
    let Some(month_part) = parts.get(1) else {
        return Ok((
            day(year, Month::January, 1)?,
            day(year, Month::December, 31)?,
        ));
    };
    let month_number = number(month_part, 2, "month")?;
    let month = u8::try_from(month_number)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| format!("`{text}`: there is no month {month_number:02}"))?;
    let Some(day_part) = parts.get(2) else {
        return Ok((day(year, month, 1)?, day(year, month, month.length(year))?));
    };
    let day_number = number(day_part, 2, "day")?;
    let date = u8::try_from(day_number)
        .ok()
        .and_then(|d| Date::from_calendar_date(year, month, d).ok())
        .ok_or_else(|| {
            format!(
                "`{text}`: {} {year} has no day {day_number:02} (it has {} days)",
                month,
                month.length(year)
            )
        })?;
    Ok((date, date))
}

fn day(year: i32, month: Month, day: u8) -> Result<Date, String> {
    Date::from_calendar_date(year, month, day).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> (Option<String>, Option<String>) {
        let range = DateRange::parse(text).unwrap();
        (range.start_iso(), range.end_iso())
    }

    #[test]
    fn partial_dates_cover_their_days() {
        assert_eq!(
            bounds("2024"),
            (Some("2024-01-01".into()), Some("2024-12-31".into()))
        );
        assert_eq!(
            bounds("2024-02"),
            (Some("2024-02-01".into()), Some("2024-02-29".into()))
        );
        assert_eq!(
            bounds("2024-10-16"),
            (Some("2024-10-16".into()), Some("2024-10-16".into()))
        );
    }

    #[test]
    fn intervals_may_be_open() {
        assert_eq!(
            bounds("2022/2023"),
            (Some("2022-01-01".into()), Some("2023-12-31".into()))
        );
        assert_eq!(bounds("/2024-11"), (None, Some("2024-11-30".into())));
        assert_eq!(bounds("2024-04/"), (Some("2024-04-01".into()), None));
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "2024-13",
            "2024-00",
            "24",
            "2024-1",
            "2024-10-16T10:00",
            "/",
            "2024/2022",
            "October 2024",
            "",
        ] {
            assert!(DateRange::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn overlap_treats_open_sides_as_unbounded() {
        let a = DateRange::parse("2024-10").unwrap();
        let b = DateRange::parse("2024-10-16").unwrap();
        let c = DateRange::parse("2024-11/").unwrap();
        let d = DateRange::parse("/2024-09").unwrap();
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert!(!a.overlaps(&d));
        assert!(!c.overlaps(&d));
    }
}
