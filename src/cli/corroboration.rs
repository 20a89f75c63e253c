//! `claimgraph corroboration`: per statement, how many reports, documents and independent
//! origins stand behind it; circular reporting and interested origins named as such.

use super::options::ListArgs;
use super::output::{feed, listing_printer, maybe_text, text};
use super::{Stop, open, require_entity};
use crate::model::Stance;
use crate::store::read::{self, CorroborationRow};
use crate::store::sandbox::Cell;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only statements about this entity
    #[arg(long)]
    pub subject: Option<String>,
    #[command(flatten)]
    pub list: ListArgs,
}

const COLUMNS: [&str; 12] = [
    "subject",
    "predicate",
    "object",
    "stance",
    "reports",
    "documents",
    "origins",
    "against",
    "verdict",
    "origin_ids",
    "against_ids",
    "reliability",
];

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    if let Some(subject) = &args.subject {
        require_entity(&conn, subject)?;
    }
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut printer = listing_printer(&COLUMNS, args.list.listing(), out);
    read::corroboration(&conn, args.subject.as_deref(), |s| {
        feed(&mut printer, &row(&s))
    })?;
    Ok(printer.finish()?)
}

fn row(s: &CorroborationRow) -> Vec<Cell> {
    vec![
        text(&s.subject_id),
        text(&s.predicate),
        s.object.clone(),
        text(s.stance.as_str()),
        Cell::Integer(s.reports),
        Cell::Integer(s.documents),
        Cell::Integer(s.origins),
        Cell::Integer(s.opposing_origins),
        text(&verdict(s)),
        text(&s.voices),
        maybe_text(s.opposing.as_deref()),
        text(&s.grades),
    ]
}

/// "corroborated by 3 independent origins (circular: 4 documents), denied by 1: witness":
/// what stands behind the statement, and what against it.
fn verdict(s: &CorroborationRow) -> String {
    let circular = if s.circular {
        format!(" (circular: {} documents)", s.documents)
    } else {
        String::new()
    };
    let mut verdict = if s.stance == Stance::Denies {
        let origins = if s.origins == 1 {
            "independent origin"
        } else {
            "independent origins"
        };
        format!("denied by {} {origins}{circular}", s.origins)
    } else if s.origins > 1 {
        format!(
            "corroborated by {} independent origins{circular}",
            s.origins
        )
    } else if s.circular {
        format!(
            "circular: {} documents, 1 origin: {}",
            s.documents, s.voices
        )
    } else {
        "single origin".to_owned()
    };
    if s.opposing_origins > 0 {
        let side = match s.stance {
            Stance::Affirms => "denied by",
            Stance::Denies => "affirmed by",
        };
        let against = s.opposing.as_deref().unwrap_or_default();
        verdict += &format!(", {side} {}: {against}", s.opposing_origins);
    } else if s.conflicting {
        verdict += ", conflicting with another claim";
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(stance: Stance, origins: i64, documents: i64, circular: bool) -> CorroborationRow {
        CorroborationRow {
            subject_id: "s".into(),
            predicate: "p".into(),
            object: Cell::Integer(40),
            stance,
            reports: documents,
            documents,
            origins,
            opposing_origins: 0,
            circular,
            conflicting: false,
            voices: "a (b, c)".into(),
            opposing: None,
            grades: String::new(),
        }
    }

    /// Every branch of the verdict, worded as the SQL that made it before said it.
    #[test]
    fn the_verdict_names_voices_for_and_against_and_circular_reporting() {
        let mut denial = statement(Stance::Denies, 2, 3, true);
        denial.opposing_origins = 1;
        denial.opposing = Some("x*".into());
        assert_eq!(
            verdict(&denial),
            "denied by 2 independent origins (circular: 3 documents), affirmed by 1: x*"
        );
        assert_eq!(
            verdict(&statement(Stance::Denies, 1, 1, false)),
            "denied by 1 independent origin"
        );
        assert_eq!(
            verdict(&statement(Stance::Affirms, 3, 4, true)),
            "corroborated by 3 independent origins (circular: 4 documents)"
        );
        assert_eq!(
            verdict(&statement(Stance::Affirms, 1, 2, true)),
            "circular: 2 documents, 1 origin: a (b, c)"
        );
        let mut conflicting = statement(Stance::Affirms, 1, 1, false);
        conflicting.conflicting = true;
        assert_eq!(
            verdict(&conflicting),
            "single origin, conflicting with another claim"
        );
        // Voices against outweigh a conflict in the wording.
        conflicting.opposing_origins = 2;
        conflicting.opposing = Some("x~, y".into());
        assert_eq!(verdict(&conflicting), "single origin, denied by 2: x~, y");
    }
}
