//! Data made to mislead: attribution chains and `part_of` links that go in circles, names with
//! characters that cannot be seen, names two entities share, and quotes that occur more than
//! once in their document. Each is reported where it is written, with the value, and none of
//! them adds a voice. Every data set is written here, in a scratch folder.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use rusqlite::Connection;

use crate::{Run, run, strings};

/// Three outlets, an army, soldiers, and two documents: `one.txt` by Agency A, `two.txt` by
/// Bureau B.
const ENTITIES: &str = r#"
[[organisation]]
id = "agency-a"
name = "Agency A"
type = "media"

[[organisation]]
id = "bureau-b"
name = "Bureau B"
type = "media"

[[organisation]]
id = "courier-c"
name = "Courier C"
type = "media"

[[organisation]]
id = "army"
name = "The army"
type = "armed-force"

[[group]]
id = "soldiers"
name = "The soldiers"

[[source]]
id = "one"
file = "one.txt"
title = "Report one"
outlet = "agency-a"

[[source]]
id = "two"
file = "two.txt"
title = "Report two"
outlet = "bureau-b"

[[predicate]]
id = "detained_by"
label = "detained by"
subject = ["group"]
object = ["organisation"]
"#;

const ONE: &str = "The army detained the soldiers.\n\
                   Nobody else saw it.\n\
                   The army detained the soldiers.\n";
const TWO: &str = "Bureau B: the army detained the soldiers, Agency A says.\n";

/// A scratch project with the entities above, `extra` beside them in `data/more.toml`, and the
/// claims in `data/claims.toml`.
fn project(extra: &str, claims: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seeds = dir.path().join("seeds");
    fs::create_dir_all(&data).unwrap();
    fs::create_dir_all(&seeds).unwrap();
    fs::write(data.join("entities.toml"), ENTITIES).unwrap();
    fs::write(data.join("more.toml"), extra).unwrap();
    fs::write(data.join("claims.toml"), claims).unwrap();
    fs::write(seeds.join("one.txt"), ONE).unwrap();
    fs::write(seeds.join("two.txt"), TWO).unwrap();
    dir
}

fn check(dir: &Path) -> Run {
    run(dir, &["check"])
}

/// Builds the project into `db.sqlite` beside it; the build must succeed.
fn build(dir: &Path) -> (Run, Connection) {
    let result = run(dir, &["build", "--no-exports", "--db", "db.sqlite"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    crate::assert_verified(&dir.join("db.sqlite"));
    let conn = Connection::open(dir.join("db.sqlite")).unwrap();
    (result, conn)
}

fn assert_has(result: &Run, fragments: &[&str]) {
    for fragment in fragments {
        assert!(
            result.stderr.contains(fragment),
            "`{fragment}` missing:\n{}",
            result.stderr
        );
    }
}

/// A claim of the soldiers' detention in `source` with the given attribution lines.
fn detention(source: &str, attribution: &str, quote: &str) -> String {
    format!(
        "[[claim]]\nsource = \"{source}\"\n{attribution}\nsubject = \"soldiers\"\n\
         predicate = \"detained_by\"\nobject = \"army\"\nquote = \"{quote}\"\noccurrence = 1\n\n"
    )
}

// Citing chains.

#[test]
fn a_reporter_citing_itself_is_a_warning_at_the_citation() {
    let claims = detention(
        "one",
        "reported_by = \"agency-a\"\nciting = [\"agency-a\"]",
        "The army detained the soldiers.",
    );
    let result = check(project("", &claims).path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[citing-loop]: `agency-a` cites itself: it reports the claim and comes first in `citing`\n",
            "data/claims.toml:4:11",
            "kept, as the reporter's own voice; remove it from `citing`",
        ],
    );
}

#[test]
fn a_source_citing_its_own_outlet_is_a_reporter_citing_itself() {
    // No `reported_by`: the reporter is the source's outlet, Agency A.
    let claims = detention(
        "one",
        "citing = [\"agency-a\"]",
        "The army detained the soldiers.",
    );
    let result = check(project("", &claims).path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[citing-loop]: `agency-a` cites itself",
            "(a claim without `reported_by` is reported by its source's outlet, else the source)",
            "data/claims.toml:3:11",
        ],
    );
}

#[test]
fn the_same_entity_twice_in_a_row_in_citing_is_a_warning() {
    let claims = detention(
        "one",
        "citing = [\"bureau-b\", \"bureau-b\"]",
        "The army detained the soldiers.",
    );
    let result = check(project("", &claims).path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[citing-loop]: `bureau-b` cites itself: it comes twice in a row in `citing`",
            "data/claims.toml:3:23",
            "first here",
        ],
    );
}

/// A reports, citing B, which cites A: the text can say so, so it is a warning; the claim is
/// A's voice, the one its origin has, and B's report of A's words adds nothing either.
#[test]
fn a_chain_back_to_its_reporter_is_a_warning_and_never_a_second_voice() {
    let mut claims = detention(
        "one",
        "reported_by = \"agency-a\"\nciting = [\"bureau-b\", \"agency-a\"]",
        "The army detained the soldiers.",
    );
    claims.push_str(&detention(
        "two",
        "citing = [\"agency-a\"]",
        "the army detained the soldiers",
    ));
    let dir = project("", &claims);
    let result = check(dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[citing-loop]: the citing chain goes in a circle, back to `agency-a` (the claim's reporter): `agency-a` cites `bureau-b` cites `agency-a`",
            "data/claims.toml:4:23",
            "the claim counts once, as the voice of its origin `agency-a`",
            "0 errors, 1 warning",
        ],
    );
    let (_, conn) = build(dir.path());
    let row: (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT reports, documents, origins, circular FROM corroboration
             WHERE subject_id = 'soldiers' AND predicate = 'detained_by'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(row, (2, 2, 1, 1), "two reports, one voice: circular");
    assert_eq!(
        strings(&conn, "SELECT DISTINCT voice_id FROM claim_origins"),
        ["agency-a"]
    );
}

/// B cites C, which cites B: a circle inside the chain, not at the reporter.
#[test]
fn a_chain_that_comes_back_to_a_cited_entity_is_a_warning_and_one_voice() {
    let mut claims = detention(
        "one",
        "citing = [\"bureau-b\", \"courier-c\", \"bureau-b\"]",
        "The army detained the soldiers.",
    );
    claims.push_str(&detention("two", "", "the army detained the soldiers"));
    let dir = project("", &claims);
    let result = check(dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[citing-loop]: the citing chain goes in a circle, back to `bureau-b`: `bureau-b` cites `courier-c` cites `bureau-b`",
            "data/claims.toml:3:36",
        ],
    );
    let (_, conn) = build(dir.path());
    assert_eq!(
        strings(
            &conn,
            "SELECT origins || ' ' || documents FROM corroboration WHERE subject_id = 'soldiers'"
        ),
        ["1 2"],
        "the looped chain and Bureau B's own report are one voice"
    );
}

// `part_of`.

#[test]
fn an_entity_part_of_itself_is_an_error() {
    let extra = "[[organisation]]\nid = \"loner\"\nname = \"Loner\"\ntype = \"other\"\npart_of = \"loner\"\n";
    let result = check(project(extra, "").path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "error[part-of-cycle]: `loner` is `part_of` itself",
            "data/more.toml:5:11",
        ],
    );
}

#[test]
fn a_two_step_part_of_cycle_is_one_warning_naming_both_links() {
    let extra = "[[organisation]]\nid = \"east\"\nname = \"East\"\ntype = \"other\"\npart_of = \"west\"\n\n\
                 [[organisation]]\nid = \"west\"\nname = \"West\"\ntype = \"other\"\npart_of = \"east\"\n";
    let dir = project(extra, "");
    let result = check(dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[part-of-cycle]: `part_of` goes in a circle through 2 entities: `east` → `west` → `east`",
            "data/more.toml:5:11",
            "`west` is part of `east`",
            "0 errors, 1 warning",
        ],
    );
    assert_eq!(result.stderr.matches("part-of-cycle").count(), 1);
}

/// Two thousand groups each part of the next, the last part of the first: one warning, its
/// members shortened; the check and the build stay linear (the analysis shares one list of
/// wholes among them, and the loop is one voice).
#[test]
fn a_two_thousand_step_part_of_cycle_is_reported_once_and_still_builds() {
    const STEPS: usize = 2000;
    let mut extra = String::new();
    for n in 0..STEPS {
        write!(
            extra,
            "[[group]]\nid = \"g{n}\"\nname = \"Group {n}\"\npart_of = \"g{}\"\n\n",
            (n + 1) % STEPS
        )
        .unwrap();
    }
    let mut claims = detention(
        "one",
        "citing = [\"g7\"]",
        "The army detained the soldiers.",
    );
    claims.push_str(&detention(
        "two",
        "citing = [\"g1500\"]",
        "the army detained the soldiers",
    ));
    let dir = project(&extra, &claims);
    let result = check(dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(result.stderr.matches("part-of-cycle").count(), 1);
    assert_has(
        &result,
        &[
            "`part_of` goes in a circle through 2000 entities: `g0` → `g1` → `g2` → `g3` → … 1995 more … → `g1999` → `g0`",
            "data/more.toml:4:11",
        ],
    );
    let (_, conn) = build(dir.path());
    assert_eq!(
        strings(
            &conn,
            "SELECT origins || ' ' || circular FROM corroboration WHERE subject_id = 'soldiers'"
        ),
        ["1 1"],
        "two members of one loop are one voice"
    );
}

// Characters that cannot be seen.

#[test]
fn a_zero_width_space_or_byte_order_mark_in_an_alias_is_an_error_shown_escaped() {
    let extra = "[[place]]\nid = \"town\"\nname = \"Town\"\n\n\
                 [[place]]\nid = \"other-town\"\nname = \"Other town\"\n\
                 aliases = [\"\\u200btown\", \"town\\ufeff\"]\n";
    let result = check(project(extra, "").path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "error[forbidden-character]: alias `\\u{200b}town` contains U+200B ZERO WIDTH SPACE, which cannot be seen",
            "data/more.toml:8:12",
            "error[forbidden-character]: alias `town\\u{feff}` contains U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)",
            "data/more.toml:8:26",
            "`town\\u{feff}` looks like `town` but is another string",
        ],
    );
    // The hidden names are errors, not also names shared with `town`.
    assert!(
        !result.stderr.contains("ambiguous-name"),
        "{}",
        result.stderr
    );
}

#[test]
fn joiners_soft_hyphens_and_other_format_characters_are_refused_in_names_and_ids() {
    let extra = "[[person]]\nid = \"anna\"\nname = \"An\\u00adna\"\n\n\
                 [[person]]\nid = \"bo\\u200db\"\nname = \"Bob\"\n\n\
                 [[person]]\nid = \"carl\"\nname = \"Carl\"\naliases = [\"Ca\\u200crl\", \"Car\\u2063l\"]\n";
    let result = check(project(extra, "").path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "name `An\\u{ad}na` contains U+00AD SOFT HYPHEN",
            "data/more.toml:3:8",
            "id `bo\\u{200d}b` contains U+200D ZERO WIDTH JOINER",
            "data/more.toml:6:6",
            "alias `Ca\\u{200c}rl` contains U+200C ZERO WIDTH NON-JOINER",
            "alias `Car\\u{2063}l` contains U+2063 invisible mathematical operator",
        ],
    );
    // The id is refused once, as hidden, not also as non-ASCII.
    assert!(!result.stderr.contains("non-ASCII"), "{}", result.stderr);
}

// Names two entities share.

#[test]
fn a_name_two_entities_share_after_normalisation_is_a_warning_naming_both() {
    // The same name but for case, a typographic hyphen and doubled white space.
    let extra = "[[person]]\nid = \"kim-a\"\nname = \"Kim Jong-un\"\n\n\
                 [[person]]\nid = \"kim-b\"\nname = \"Kim B\"\naliases = [\"KIM  JONG\u{2010}UN\"]\n";
    let result = check(project(extra, "").path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[ambiguous-name]: `KIM  JONG\u{2010}UN` of `kim-b` reads the same as `Kim Jong-un` of `kim-a`",
            "data/more.toml:8:12",
            // The other record's line, shown beside this one.
            "3 | name = \"Kim Jong-un\"",
            "`kim-a` goes by it here",
            "0 errors, 1 warning",
        ],
    );
}

/// One entity with a hundred thousand aliases (the duplicate-alias and shared-name checks go by
/// hash; each was a scan per alias). "alias 1", "alias 10", … each a prefix of the next made
/// the mention finder's automaton (aho-corasick's then) build in quadratic time.
#[test]
fn a_hundred_thousand_aliases_are_checked_in_one_pass() {
    let aliases: Vec<String> = (0..100_000).map(|n| format!("\"alias {n}\"")).collect();
    let extra = format!(
        "[[person]]\nid = \"many\"\nname = \"Many\"\naliases = [{}]\n\n\
         [[person]]\nid = \"other\"\nname = \"ALIAS 99999\"\n",
        aliases.join(", ")
    );
    let result = check(project(&extra, "").path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &["`ALIAS 99999` of `other` reads the same as `alias 99999` of `many`"],
    );
}

// Quotes that occur more than once.

#[test]
fn a_quote_twice_in_its_document_is_a_warning_with_both_lines() {
    let claims =
        detention("one", "", "The army detained the soldiers.").replace("occurrence = 1\n", "");
    let result = check(project("", &claims).path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "warning[ambiguous-quote]: the quote occurs 2 times in its document `one.txt`: on lines 1 and 3",
            "data/claims.toml:7:9",
            "`occurrence = N` (1 for line 1, 2 for line 3)",
        ],
    );
}

#[test]
fn occurrence_chooses_which_passage_without_a_warning() {
    let claims = detention("one", "", "The army detained the soldiers.")
        .replace("occurrence = 1", "occurrence = 2");
    let dir = project("", &claims);
    let result = check(dir.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(!result.stderr.contains("warning"), "{}", result.stderr);
    let (_, conn) = build(dir.path());
    let (start, end): (i64, i64) = conn
        .query_row("SELECT quote_start, quote_end FROM claims", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // The document is ASCII: bytes are characters.
    let third_line = ONE.rfind("The army detained the soldiers.").unwrap() as i64;
    assert_eq!(
        (start, end),
        (third_line, third_line + 31),
        "the second occurrence, on line 3"
    );
}

#[test]
fn an_occurrence_beyond_the_last_is_an_error() {
    let claims = detention("one", "", "The army detained the soldiers.")
        .replace("occurrence = 1", "occurrence = 3");
    let result = check(project("", &claims).path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_has(
        &result,
        &[
            "error[invalid-value]: `occurrence = 3`, but the quote occurs 2 times in `one.txt`: on lines 1 and 3",
            "data/claims.toml:8:14",
            "give a number from 1 to 2",
        ],
    );
    let zero =
        detention("one", "", "Nobody else saw it.").replace("occurrence = 1", "occurrence = 0");
    let result = check(project("", &zero).path());
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_has(&result, &["`occurrence = 0`: occurrences count from 1"]);
}
