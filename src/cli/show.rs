//! `claimgraph show ID`: an entity's profile: names, curated fields, the claims about it by
//! predicate with their attribution, the claims it reported, and the documents naming it.

use std::io::{self, Write};

use super::options::ReadArgs;
use super::{Stop, open, require_entity};
use crate::store::read::{self, ClaimLine, Profile};

/// How `show` prints a profile. A profile is one nested record, not rows: it has no CSV, and
/// its readable text is never printed under a machine format's name (a first line such as
/// `=cmd|' /C calc'!A0 …` would run in a spreadsheet that opened it as CSV).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// The profile as text to read
    #[default]
    Table,
    /// One JSON object: names, fields, claims about it, claims it reported, citations, mentions
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity's id
    pub id: String,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Output format (a profile has no CSV: for rows, use `query` or `corroboration`)
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.read)?;
    require_entity(&conn, &args.id)?;
    let profile = read::profile(&conn, &args.id)?.expect("the entity exists");
    super::check_clock()?;
    let mut out = io::stdout().lock();
    match args.format {
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &profile).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ShowFormat::Table => write_profile(&profile, &mut out)?,
    }
    Ok(())
}

fn write_profile(p: &Profile, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{} ({}) — {}", p.name, p.kind, p.id)?;
    if !p.aliases.is_empty() {
        writeln!(out, "  also: {}", p.aliases.join(", "))?;
    }
    if let Some(description) = &p.description {
        writeln!(out, "  {description}")?;
    }
    for (field, value) in &p.fields {
        writeln!(out, "  {field}: {value}")?;
    }
    if let Some(grade) = &p.reliability {
        writeln!(out, "  reliability: {grade}")?;
    }
    writeln!(out, "  defined at {}", p.defined_at)?;

    writeln!(out, "\nClaims about it ({})", p.claims_about.len())?;
    let mut predicate = "";
    for claim in &p.claims_about {
        if claim.predicate != predicate {
            predicate = &claim.predicate;
            writeln!(out, "  {}:", claim.predicate_label)?;
        }
        write_claim(claim, out)?;
    }
    writeln!(out, "\nClaims it reported ({})", p.claims_reported.len())?;
    for claim in &p.claims_reported {
        write_claim(claim, out)?;
    }
    writeln!(out, "\nCited in ({})", p.cited_in.len())?;
    for claim in &p.cited_in {
        write_claim(claim, out)?;
    }
    writeln!(out, "\nMentioned in ({} documents)", p.mentioned_in.len())?;
    for (source, title, count) in &p.mentioned_in {
        writeln!(out, "  {source}: {count}× — {title}")?;
    }
    Ok(())
}

/// Two lines per claim: who says what, citing whom; then the words.
pub fn write_claim(c: &ClaimLine, out: &mut impl Write) -> io::Result<()> {
    let mut flags = Vec::new();
    if c.stance == "denies" {
        flags.push("DENIES");
    }
    if c.hedged {
        flags.push("hedged");
    }
    if c.interested {
        flags.push("interested origin");
    }
    let chain = if c.citing.is_empty() {
        String::new()
    } else {
        format!(", citing {}", c.citing.join(" ← "))
    };
    let when = c
        .when
        .as_deref()
        .map(|w| format!(" [{w}]"))
        .unwrap_or_default();
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" ({})", flags.join(", "))
    };
    writeln!(
        out,
        "    {} {} {}{when}{flags} — {} in {}{chain}; origin {} [{}]",
        c.subject, c.predicate_label, c.object, c.reporter, c.source_id, c.origin, c.id
    )?;
    writeln!(out, "      “{}”", c.quote)?;
    if let Some(note) = &c.note {
        writeln!(out, "      note: {note}")?;
    }
    Ok(())
}
