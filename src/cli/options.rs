//! The options reading commands share (the database, the time limit, the output format, the
//! most rows to print) and the parsers that check numeric options before anything runs: a
//! value out of range is a usage error naming the option and the range (exit 2), never a
//! panic deep inside.

use std::path::PathBuf;
use std::time::Duration;

use super::output::{ListFormat, Listing};

/// How long a reading command may run by default, printing included. Every reader on the
/// curated data, and on a million claims, finishes far within it (see README, Performance);
/// only a crafted database or a runaway statement reaches it.
pub const DEFAULT_TIMEOUT: &str = "60";

/// The longest time limit accepted: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// The options of every command that reads the database.
#[derive(Debug, Clone, clap::Args)]
pub struct ReadArgs {
    /// The database to read
    #[arg(long, default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
    /// Stop after this many seconds, printing included (more than 0, at most 86400)
    #[arg(long, value_name = "SECONDS", default_value = DEFAULT_TIMEOUT, value_parser = seconds)]
    pub timeout: Duration,
}

/// The options of every command that lists rows.
#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Print at most this many rows, 1 to 1000000000, saying on stderr when rows were left out
    /// (every row unless given; `search` prints 20 unless given, 100000 at most)
    #[arg(long, value_parser = whole(1, 1_000_000_000))]
    pub limit: Option<usize>,
}

impl ListArgs {
    /// How the rows are printed: the format and the limit.
    pub fn listing(&self) -> Listing {
        Listing {
            format: self.format,
            limit: self.limit,
        }
    }
}

/// A time limit in seconds: a finite number greater than 0 and at most a day (`0.5`, `90`).
/// `1e20`, `-1`, `nan` and `inf` are refused with the range, where converting them to a
/// [`Duration`] would panic or mean nothing.
pub fn seconds(text: &str) -> Result<Duration, String> {
    let range = format!("a number of seconds greater than 0 and at most {MAX_SECONDS}");
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number; expected {range}"))?;
    if !(value > 0.0 && value <= MAX_SECONDS) {
        return Err(format!("`{text}` is out of range; expected {range}"));
    }
    Duration::try_from_secs_f64(value).map_err(|e| format!("`{text}`: {e}; expected {range}"))
}

/// A whole number from `min` to `max`, for counts and depths.
pub fn whole(min: u64, max: u64) -> impl Fn(&str) -> Result<usize, String> + Clone {
    move |text: &str| {
        let range = format!("a whole number from {min} to {max}");
        let value: u64 = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a whole number; expected {range}"))?;
        if !(min..=max).contains(&value) {
            return Err(format!("`{text}` is out of range; expected {range}"));
        }
        usize::try_from(value).map_err(|_| format!("`{text}` is too large; expected {range}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_take_positive_finite_numbers_up_to_a_day() {
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("86400"), Ok(Duration::from_secs(86_400)));
        for bad in ["0", "-1", "nan", "NaN", "inf", "1e20", "86401", "", "five"] {
            let error = seconds(bad).unwrap_err();
            assert!(
                error.contains("greater than 0 and at most 86400"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn whole_numbers_stay_in_their_range() {
        let depth = whole(1, 100);
        assert_eq!(depth("3"), Ok(3));
        for bad in ["0", "101", "-1", "1.5", "1e3", "99999999999999999999999"] {
            let error = depth(bad).unwrap_err();
            assert!(error.contains("from 1 to 100"), "{bad}: {error}");
        }
    }
}
