//! `claimgraph show ID`: an entity's profile: names, curated fields, the claims about it by
//! predicate with their attribution, the claims it reported, and the documents naming it.

use std::io::{self, Write};

use super::options::ReadArgs;
use super::{Stop, open, require_entity};
use crate::model::Stance;
use crate::store::read::{self, ClaimLine, FieldValue, MentionedIn, Profile};

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
            serde_json::to_writer_pretty(&mut out, &ProfileJson::from(&profile))
                .map_err(io::Error::from)?;
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
        writeln!(out, "  {field}: {}", field_value(value))?;
    }
    if let Some(grade) = &p.reliability {
        writeln!(out, "  reliability: {grade}")?;
    }
    writeln!(out, "  defined at {}", defined_at(p))?;

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
    for document in &p.mentioned_in {
        writeln!(
            out,
            "  {}: {}× — {}",
            document.source_id,
            document.mentions,
            title(document)
        )?;
    }
    Ok(())
}

/// Two lines per claim: who says what, citing whom; then the words.
pub fn write_claim(c: &ClaimLine, out: &mut impl Write) -> io::Result<()> {
    let mut flags = Vec::new();
    if c.stance == Stance::Denies {
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

/// "data/people.toml:12".
fn defined_at(p: &Profile) -> String {
    format!("{}:{}", p.file, p.line)
}

/// A scalar as it is; a reference as "Ministry of Defence (ministry)".
fn field_value(value: &FieldValue) -> String {
    match value {
        FieldValue::Scalar(text) => text.clone(),
        FieldValue::Entity { id, name } => format!("{name} ({id})"),
    }
}

/// A document's title, or its id when it has none.
fn title(document: &MentionedIn) -> &str {
    document.title.as_deref().unwrap_or(&document.source_id)
}

/// The profile as `--format json` prints it: one object, keys in this order.
#[derive(serde::Serialize)]
struct ProfileJson<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    aliases: &'a [String],
    description: Option<&'a str>,
    reliability: Option<&'a str>,
    defined_at: String,
    /// `[field, value]` pairs.
    fields: Vec<(&'a str, String)>,
    claims_about: Vec<ClaimJson<'a>>,
    claims_reported: Vec<ClaimJson<'a>>,
    cited_in: Vec<ClaimJson<'a>>,
    /// `[source id, title, mentions]` triples.
    mentioned_in: Vec<(&'a str, &'a str, i64)>,
}

/// One claim in a profile's JSON.
#[derive(serde::Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    source_id: &'a str,
    reporter: &'a str,
    citing: &'a [String],
    origin: &'a str,
    voice_id: &'a str,
    voice: &'a str,
    interested: bool,
    subject: &'a str,
    predicate: &'a str,
    predicate_label: &'a str,
    object: &'a str,
    when: Option<&'a str>,
    stance: &'static str,
    hedged: bool,
    quote: &'a str,
    note: Option<&'a str>,
}

impl<'a> From<&'a Profile> for ProfileJson<'a> {
    fn from(p: &'a Profile) -> ProfileJson<'a> {
        let claims = |lines: &'a [ClaimLine]| lines.iter().map(ClaimJson::from).collect();
        ProfileJson {
            id: &p.id,
            kind: p.kind.as_str(),
            name: &p.name,
            aliases: &p.aliases,
            description: p.description.as_deref(),
            reliability: p.reliability.as_deref(),
            defined_at: defined_at(p),
            fields: (p.fields.iter())
                .map(|(field, value)| (field.as_str(), field_value(value)))
                .collect(),
            claims_about: claims(&p.claims_about),
            claims_reported: claims(&p.claims_reported),
            cited_in: claims(&p.cited_in),
            mentioned_in: (p.mentioned_in.iter())
                .map(|d| (d.source_id.as_str(), title(d), d.mentions))
                .collect(),
        }
    }
}

impl<'a> From<&'a ClaimLine> for ClaimJson<'a> {
    fn from(c: &'a ClaimLine) -> ClaimJson<'a> {
        ClaimJson {
            id: &c.id,
            source_id: &c.source_id,
            reporter: &c.reporter,
            citing: &c.citing,
            origin: &c.origin,
            voice_id: &c.voice_id,
            voice: &c.voice,
            interested: c.interested,
            subject: &c.subject,
            predicate: &c.predicate,
            predicate_label: &c.predicate_label,
            object: &c.object,
            when: c.when.as_deref(),
            stance: c.stance.as_str(),
            hedged: c.hedged,
            quote: &c.quote,
            note: c.note.as_deref(),
        }
    }
}
