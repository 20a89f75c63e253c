//! `claimgraph check` on good and bad input: every problem reported with file, line, column and
//! the offending value, exit 1 for data errors and 2 when the inputs cannot be read.

use std::fs;
use std::path::Path;

use crate::{Run, fixtures, run, valid_project};

/// Runs `check` on a fixture case: `tests/fixtures/check/<case>/data` against the shared seeds.
fn check_case(case: &str) -> Run {
    let dir = fixtures().join("check").join(case);
    let seeds = dir.join("seeds");
    let seeds = if seeds.is_dir() {
        "seeds"
    } else {
        "../../seeds"
    };
    run(&dir, &["check", "--data", "data", "--seeds", seeds])
}

/// Every case's full output is pinned in `expected.stderr` beside it (set `UPDATE_GOLDEN=1` to
/// rewrite them after a deliberate change, then review the diff).
#[test]
fn every_fixture_matches_its_golden_output() {
    let cases = fs::read_dir(fixtures().join("check")).unwrap();
    let mut checked = 0;
    for case in cases {
        let case = case.unwrap().path();
        let name = case.file_name().unwrap().to_str().unwrap().to_owned();
        let result = check_case(&name);
        let actual = format!("exit {}\n{}", result.code, result.stderr);
        let golden = case.join("expected.stderr");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(&golden, &actual).unwrap();
        }
        let expected = fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} has no expected.stderr", case.display()));
        assert_eq!(actual, expected, "output of case `{name}` changed");
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixture cases found");
}

/// Asserts the exit code and that each expected fragment (position, value, hint) is reported.
fn assert_reports(case: &str, code: i32, fragments: &[&str]) {
    let result = check_case(case);
    assert_eq!(
        result.code, code,
        "exit code of `{case}`:\n{}",
        result.stderr
    );
    for fragment in fragments {
        assert!(
            result.stderr.contains(fragment),
            "`{case}` should report `{fragment}`:\n{}",
            result.stderr
        );
    }
}

#[test]
fn the_valid_fixture_checks_clean() {
    let result = check_case("valid");
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("5 claims, 2 documents; no errors"));
}

#[test]
fn syntax_errors_name_the_position() {
    assert_reports(
        "syntax-error",
        1,
        &["error[syntax]", "data/claims.toml:5:25"],
    );
}

#[test]
fn unknown_fields_suggest_the_known_one() {
    assert_reports(
        "unknown-field",
        1,
        &[
            "data/claims.toml:3:1",
            "no field `subjekt`",
            "did you mean `subject`?",
        ],
    );
    assert_reports(
        "unknown-kind",
        1,
        &[
            "data/more.toml:1:3",
            "`persons`",
            "did you mean `[[person]]`?",
        ],
    );
}

#[test]
fn missing_required_fields_point_at_the_record() {
    assert_reports(
        "missing-field",
        1,
        &[
            "data/claims.toml:1:1",
            "this person has no `name`",
            "data/claims.toml:4:1",
            "this claim has no `quote`",
        ],
    );
}

#[test]
fn bad_ids_are_explained() {
    assert_reports(
        "invalid-id",
        1,
        &[
            "data/more.toml:2:6",
            "`Southern_Unit`",
            "write `southern-unit`",
        ],
    );
    assert_reports(
        "lookalike-id",
        1,
        &[
            "data/more.toml:2:6",
            "U+0430",
            "looks like `a`",
            "write `eastern-unit`",
        ],
    );
}

#[test]
fn duplicate_ids_show_both_places() {
    assert_reports(
        "duplicate-id",
        1,
        &[
            "duplicate id `ministry`",
            "data/world.toml:6:6",
            "data/more.toml:2:6",
            "first defined here",
            "claim id `northern-unit` is already the id of a unit",
            "data/more.toml:6:6",
            "data/world.toml:12:6",
        ],
    );
}

#[test]
fn dangling_references_suggest_the_closest_id() {
    assert_reports(
        "unknown-reference",
        1,
        &[
            "data/claims.toml:4:11",
            "`part_of` names `ministri`",
            "did you mean `ministry`?",
            "data/claims.toml:8:23",
            "`citing` names `northen-unit`",
            "did you mean `northern-unit`?",
        ],
    );
}

#[test]
fn subjects_and_objects_must_fit_the_predicate() {
    assert_reports(
        "predicate-domain",
        1,
        &[
            "error[predicate-domain]",
            "data/claims.toml:3:11",
            "`ministry` is an organisation, but the subject of `lost_soldiers` must be a unit",
        ],
    );
    assert_reports(
        "predicate-range",
        1,
        &[
            "error[predicate-range]",
            "data/claims.toml:5:10",
            "`ruritania` is a country",
        ],
    );
    assert_reports(
        "value-type",
        1,
        &[
            "data/claims.toml:11:9",
            "takes a number value, not the text \"several hundred\"",
            "data/claims.toml:18:10",
            "not an entity as `object`",
        ],
    );
}

#[test]
fn impossible_dates_and_stances_are_rejected() {
    assert_reports(
        "invalid-date",
        1,
        &[
            "data/claims.toml:4:8",
            "`2024-02-30`: February 2024 has no day 30",
            "data/claims.toml:11:8",
            "`2024-13`: there is no month 13",
        ],
    );
    assert_reports(
        "invalid-stance",
        1,
        &[
            "data/claims.toml:6:10",
            "stance `deny`",
            "did you mean `denies`?",
        ],
    );
}

#[test]
fn control_and_bidi_characters_are_rejected() {
    assert_reports(
        "control-character",
        1,
        &[
            "data/claims.toml:7:8",
            "`note` contains U+202E RIGHT-TO-LEFT OVERRIDE: `bidi override \\u{202e} hidden text`",
        ],
    );
}

/// A control or bidirectional character is named and shown escaped, as hidden characters are
/// (`\u{7}`, never the raw character, which a terminal would act on), with the text around it
/// when the text is long; and named in a source document too.
#[test]
fn control_characters_are_named_and_shown_escaped() {
    let project = valid_project();
    let dir = project.path();
    let long = format!(
        "{}\\u0007{}\\u202E\\u0007",
        "a".repeat(100),
        "b".repeat(100)
    );
    append(
        &dir.join("data/entities.toml"),
        &format!("\n[[group]]\nid = \"bell\"\nname = \"Bell\"\ndescription = \"{long}\"\n"),
    );
    let mut report = fs::read_to_string(dir.join("seeds/report.txt")).unwrap();
    report.push_str("\nhidden \u{2067}isolate\n");
    fs::write(dir.join("seeds/report.txt"), &report).unwrap();
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    let lines = report.lines().count();
    for fragment in [
        format!(
            "`description` contains U+0007 BELL and 2 more: `…{}\\u{{7}}{}…`",
            "a".repeat(30),
            "b".repeat(30)
        ),
        format!("source file `report.txt` contains U+2067 RIGHT-TO-LEFT ISOLATE on line {lines}"),
    ] {
        assert!(
            result.stderr.contains(&fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
    assert!(!result.stderr.contains('\u{7}'), "{}", result.stderr);
    assert!(!result.stderr.contains('\u{2067}'), "{}", result.stderr);
}

#[test]
fn source_files_cannot_escape_the_seeds_folder() {
    assert_reports(
        "unsafe-path",
        1,
        &[
            "error[unsafe-path]",
            "data/more.toml:3:8",
            "`../../../Cargo.toml`",
        ],
    );
    assert_reports(
        "absolute-path",
        1,
        &["error[unsafe-path]", "data/more.toml:3:8", "`/etc/passwd`"],
    );
}

#[test]
fn a_missing_quote_shows_the_closest_passage() {
    assert_reports(
        "quote-not-found",
        1,
        &[
            "error[quote-not-found]",
            "data/claims.toml:6:9",
            "line 3 of the document",
            "\"the Northern Unit lost „several hundred“ soldiers in 2023.\"",
        ],
    );
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    assert_reports(
        "deep-nesting",
        1,
        &["error[syntax]", "data/deep.toml:1:", "recursion"],
    );
}

#[test]
fn five_independent_errors_in_three_files_are_all_reported() {
    let result = check_case("five-errors-three-files");
    assert_eq!(result.code, 1);
    let positions = [
        "data/a.toml:4:16",
        "data/a.toml:5:8",
        "data/b.toml:4:13",
        "data/b.toml:13:9",
        "data/world.toml:41:8",
    ];
    let mut last = 0;
    for position in positions {
        let at = result
            .stderr
            .find(position)
            .unwrap_or_else(|| panic!("`{position}` missing:\n{}", result.stderr));
        assert!(at > last, "diagnostics are sorted by file and line");
        last = at;
    }
    assert!(result.stderr.ends_with("5 errors, 0 warnings\n"));
}

/// Source documents that are not plain UTF-8 files inside `seeds/`, made at test time because
/// git cannot hold all of them.
#[test]
fn unreadable_source_documents_are_reported_at_their_record() {
    let project = valid_project();
    let dir = project.path();
    let seeds = dir.join("seeds");
    fs::write(seeds.join("latin1.txt"), b"caf\xe9 au lait").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", seeds.join("link.txt")).unwrap();
    fs::create_dir(seeds.join("folder.txt")).unwrap();
    let big = fs::File::create(seeds.join("big.txt")).unwrap();
    big.set_len(33 * 1024 * 1024).unwrap();
    fs::write(
        dir.join("data/bad-sources.toml"),
        r#"[[source]]
id = "latin1"
file = "latin1.txt"
title = "Latin-1"

[[source]]
id = "link"
file = "link.txt"
title = "Symlink out"

[[source]]
id = "folder"
file = "folder.txt"
title = "A folder"

[[source]]
id = "big"
file = "big.txt"
title = "Too large"

[[source]]
id = "missing"
file = "reprot.txt"
title = "Misspelt"
"#,
    )
    .unwrap();
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in [
        "data/bad-sources.toml:3:8",
        "`latin1.txt` is not UTF-8: invalid byte 0xE9 at byte offset 3",
        "data/bad-sources.toml:8:8",
        "`link.txt` resolves to `/etc/hostname`, outside the seeds folder",
        "data/bad-sources.toml:13:8",
        "`folder.txt` is not a regular file",
        "data/bad-sources.toml:18:8",
        "`big.txt` has 34603008 bytes, more than the limit",
        "data/bad-sources.toml:23:8",
        "did you mean `report.txt`?",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
}

#[test]
fn a_data_file_that_is_not_utf8_is_reported() {
    let project = valid_project();
    fs::write(
        project.path().join("data/broken.toml"),
        b"[[person]]\nname = \"\xff\"\n",
    )
    .unwrap();
    let result = run(project.path(), &["check"]);
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.contains("data/broken.toml")
            && result
                .stderr
                .contains("not UTF-8: invalid byte 0xFF at byte offset 19"),
        "{}",
        result.stderr
    );
}

#[test]
fn unused_documents_are_warnings_not_errors() {
    let project = valid_project();
    fs::write(project.path().join("seeds/stray.txt"), "not curated yet").unwrap();
    let result = run(project.path(), &["check"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("warning[unused-document]"));
    assert!(result.stderr.contains("seeds/stray.txt"));
}

#[test]
fn missing_folders_and_bad_usage_exit_2() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = run(dir, &["check", "--data", "no/such/folder"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("the data folder `no/such/folder` does not exist")
    );
    let result = run(dir, &["check", "--seeds", "no/such/seeds"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("the seeds folder `no/such/seeds` does not exist")
    );
    let result = run(dir, &["check", "--frobnicate"]);
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("unexpected argument '--frobnicate'"));
}

/// Appends `text` to a file of a scratch project.
fn append(path: &Path, text: &str) {
    let mut old = fs::read_to_string(path).unwrap();
    old.push_str(text);
    fs::write(path, old).unwrap();
}

/// How many diagnostics of a kind (`error[`, `warning[`) a run printed.
fn printed(result: &Run, kind: &str) -> usize {
    result.stderr.matches(kind).count()
}

/// A scratch project whose `data/typos.toml` holds `count` people with a misspelt field each
/// (one error each), and a document no source names (one warning).
fn project_with_errors(count: usize) -> tempfile::TempDir {
    let project = valid_project();
    let people: String = (0..count)
        .map(|i| format!("[[person]]\nid = \"typo-{i}\"\nname = \"Typo {i}\"\nnmae = \"x\"\n\n"))
        .collect();
    fs::write(project.path().join("data/typos.toml"), people).unwrap();
    fs::write(project.path().join("seeds/stray.txt"), "not curated yet").unwrap();
    project
}

#[test]
fn max_errors_caps_the_printed_diagnostics_and_counts_the_rest() {
    let project = project_with_errors(250);
    let dir = project.path();
    // The default prints 100, errors first, and says how many more there are.
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(printed(&result, "error[unknown-field]"), 100);
    assert_eq!(printed(&result, "warning["), 0);
    assert!(
        result.stderr.ends_with(
            "… and 150 more errors and 1 more warning not shown; `--max-errors 0` shows all\n\n250 errors, 1 warning\n"
        ),
        "{}",
        result.stderr
    );
    // Errors before warnings: a cap that fits the errors hides only the warning.
    let result = run(dir, &["check", "--max-errors", "250"]);
    assert_eq!(printed(&result, "error[unknown-field]"), 250);
    assert!(result.stderr.contains("… and 1 more warning not shown"));
    // 0 prints everything, and no "not shown" line.
    let result = run(dir, &["check", "--max-errors", "0"]);
    assert_eq!(result.code, 1);
    assert_eq!(printed(&result, "error[unknown-field]"), 250);
    assert_eq!(printed(&result, "warning[unused-document]"), 1);
    assert!(!result.stderr.contains("not shown"), "{}", result.stderr);
    assert!(result.stderr.ends_with("250 errors, 1 warning\n"));
    // `build` takes the same cap, and writes nothing.
    let result = run(dir, &["build", "--no-exports", "--max-errors", "3"]);
    assert_eq!(result.code, 1);
    assert_eq!(printed(&result, "error[unknown-field]"), 3);
    assert!(
        result
            .stderr
            .contains("… and 247 more errors and 1 more warning not shown")
    );
    assert!(!dir.join("claimgraph.sqlite").exists());
    let result = run(dir, &["check", "--max-errors", "-1"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
}

/// What used to grow with the square of the input: every error of a long line printed
/// against the whole line, and a long quote that is not found. Not timed: their output must
/// stay proportional to what they report.
#[test]
fn hostile_inputs_give_bounded_output() {
    let project = valid_project();
    let dir = project.path();
    // 3,000 empty aliases on one line: 3,000 "cannot be empty" and 2,999 "listed twice".
    let aliases = vec!["\"\""; 3_000].join(", ");
    fs::write(
        dir.join("data/many.toml"),
        format!("[[person]]\nid = \"many\"\nname = \"Many\"\naliases = [{aliases}]\n"),
    )
    .unwrap();
    let result = run(dir, &["check", "--max-errors", "0"]);
    assert_eq!(result.code, 1);
    assert!(result.stderr.ends_with("5999 errors, 0 warnings\n"));
    assert!(
        result.stderr.len() < 5_999 * 400,
        "{} bytes for 5,999 errors",
        result.stderr.len()
    );
    // A place far into the line is shown by its position.
    assert!(
        result.stderr.contains("--> data/many.toml:4:12008"),
        "{}",
        &result.stderr[result.stderr.len() - 2000..]
    );
    fs::remove_file(dir.join("data/many.toml")).unwrap();

    // A 60 KB quote that is the document's text with words changed: its passage is found and
    // shown cut.
    let document: String = (0..12_000).map(|i| format!("word{} ", i % 1_009)).collect();
    fs::write(dir.join("seeds/long.txt"), &document).unwrap();
    let quote: Vec<String> = document
        .split(' ')
        .skip(100)
        .take(9_000)
        .enumerate()
        .map(|(i, w)| {
            if i % 9 == 4 {
                format!("changed{w}")
            } else {
                w.to_owned()
            }
        })
        .collect();
    append(
        &dir.join("data/entities.toml"),
        "\n[[source]]\nid = \"long\"\nfile = \"long.txt\"\ntitle = \"Long\"\n",
    );
    append(
        &dir.join("data/claims/report.toml"),
        &format!(
            "\n[[claim]]\nsource = \"long\"\nsubject = \"northern-unit\"\npredicate = \"lost_soldiers\"\nvalue = \"many\"\nquote = \"{}\"\n",
            quote.join(" ")
        ),
    );
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("% alike, line 1 of the document) reads: \"word100 word101"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains(" …\""), "the passage is cut");
    assert!(
        result.stderr.len() < 10_000,
        "{} bytes",
        result.stderr.len()
    );
}

#[test]
fn repeated_aliases_among_many_are_each_reported_once() {
    let project = valid_project();
    let mut aliases: Vec<String> = (0..20_000).map(|i| format!("\"alias {i}\"")).collect();
    aliases.push("\"alias 7\"".to_owned());
    fs::write(
        project.path().join("data/many.toml"),
        format!(
            "[[person]]\nid = \"many\"\nname = \"Many\"\naliases = [\n{}\n]\n",
            aliases.join(",\n")
        ),
    )
    .unwrap();
    let result = run(project.path(), &["check"]);
    assert_eq!(result.code, 1);
    assert_eq!(printed(&result, "error["), 1, "{}", result.stderr);
    assert!(result.stderr.contains("alias `alias 7` is listed twice"));
    assert!(
        result.stderr.contains("--> data/many.toml:20005:1"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("::: data/many.toml:12:1"),
        "{}",
        result.stderr
    );
}

/// A misspelt reference gets the id it was meant to be as its hint however many ids there
/// are (among thousands, the ids compared come from an index of their trigrams), and the same
/// misspelling in several places gets the same hint in each.
#[test]
fn misspelt_references_among_thousands_of_ids_each_suggest_their_own_id() {
    let project = valid_project();
    let countries: String = (0..3000)
        .map(|i| format!("[[country]]\nid = \"country-{i}\"\nname = \"Country {i}\"\n\n"))
        .collect();
    let people: String = (0..1500)
        .chain([7, 7])
        .enumerate()
        .map(|(n, i)| {
            format!(
                "[[person]]\nid = \"person-{n}\"\nname = \"Person {n}\"\nnationality = [\"contry-{i}\"]\n\n"
            )
        })
        .collect();
    fs::write(project.path().join("data/countries.toml"), countries).unwrap();
    fs::write(project.path().join("data/people.toml"), people).unwrap();
    let result = run(project.path(), &["check", "--max-errors", "0"]);
    assert_eq!(result.code, 1);
    assert_eq!(printed(&result, "error["), 1502, "{}", result.stderr);
    let mut hinted = 0;
    for diagnostic in result.stderr.split("error[unknown-reference]").skip(1) {
        let value = diagnostic
            .split("names `contry-")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
            .unwrap_or_else(|| panic!("not a misspelt nationality: {diagnostic}"));
        assert!(
            diagnostic.contains(&format!("did you mean `country-{value}`?")),
            "{diagnostic}"
        );
        hinted += 1;
    }
    assert_eq!(hinted, 1502);
}

#[test]
fn an_array_where_one_value_is_wanted_says_what_to_write() {
    let project = valid_project();
    let dir = project.path();
    append(
        &dir.join("data/vocabulary.toml"),
        "\n[[predicate]]\nid = \"said\"\nlabel = \"said\"\nsubject = [\"person\"]\nobject = [\"text\"]\n",
    );
    append(
        &dir.join("data/claims/rebuttal.toml"),
        "\n[[claim]]\nsource = \"rebuttal\"\nsubject = \"unit-deserters\"\npredicate = \"detained_by\"\nobject = [\"ministry\"]\nquote = \"Die Soldaten wurden\"\n",
    );
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in [
        "error[wrong-type]: `object` is an array, but the value type `text` is given alone, as a string",
        "write `object = \"text\"`; an array lists record kinds",
        "error[wrong-type]: `object` must be a string, not an array",
        "write `object = \"ministry\"`, without the brackets",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
    assert!(
        !result.stderr.contains("did you mean `text`?"),
        "{}",
        result.stderr
    );
}

/// `object = ["ministry"]` is one error, that it must be a string; the claim is not also
/// said to have no `object` (nor one with `value = [18]` to have no `value`).
#[test]
fn a_malformed_object_or_value_is_not_also_called_missing() {
    let project = valid_project();
    let dir = project.path();
    append(
        &dir.join("data/claims/rebuttal.toml"),
        "\n[[claim]]\nsource = \"rebuttal\"\nsubject = \"unit-deserters\"\npredicate = \"detained_by\"\nobject = [\"ministry\"]\nquote = \"Die Soldaten wurden\"\n\
         \n[[claim]]\nsource = \"rebuttal\"\nsubject = \"unit-deserters\"\npredicate = \"count\"\nvalue = [18]\nquote = \"Die Soldaten wurden\"\n",
    );
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("error[wrong-type]: `object` must be a string, not an array"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("error[wrong-type]: `value` must be"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("has no `object`"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("has no `value`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.ends_with("2 errors, 0 warnings\n"),
        "{}",
        result.stderr
    );
    // Without the field at all, the claim is still told what it lacks.
    let written = fs::read_to_string(dir.join("data/claims/rebuttal.toml")).unwrap();
    fs::write(
        dir.join("data/claims/rebuttal.toml"),
        written
            .replace("object = [\"ministry\"]\n", "")
            .replace("value = [18]\n", ""),
    )
    .unwrap();
    let result = run(dir, &["check"]);
    assert!(
        result.stderr.contains("this claim has no `object`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("this claim has no `value`"),
        "{}",
        result.stderr
    );
}

#[test]
fn non_ascii_ids_get_their_ascii_form_or_an_explanation() {
    let project = valid_project();
    append(
        &project.path().join("data/entities.toml"),
        "\n[[group]]\nid = \"ｎｋ-deserters\"\nname = \"A\"\n\n[[group]]\nid = \"ｏｗｎ\"\nname = \"B\"\n\n[[group]]\nid = \"café-crème\"\nname = \"C\"\n\n[[group]]\nid = \"дезертиры\"\nname = \"D\"\n",
    );
    let result = run(project.path(), &["check"]);
    assert_eq!(result.code, 1);
    for fragment in [
        "`ｎ` U+FF4E (it looks like `n`)",
        "help: write `nk-deserters`",
        "help: write `own`",
        "help: write `cafe-creme`",
        "`д` (U+0434) has no ASCII form: spell the id in Latin letters",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
    assert!(!result.stderr.contains("write `-"), "{}", result.stderr);
    assert_eq!(printed(&result, "help: write"), 3, "{}", result.stderr);
}

/// Runs `check` as an unprivileged user when the tests run as root (as in containers and some
/// CI), where permission bits deny nothing. `None` when the user cannot be switched to.
fn run_denied(dir: &Path, args: &[&str]) -> Option<Run> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let probe = dir.join(".owner");
    fs::write(&probe, "").unwrap();
    let root = fs::metadata(&probe).unwrap().uid() == 0;
    fs::remove_file(&probe).unwrap();
    let mut command = crate::claimgraph(dir);
    command.args(args);
    if root {
        // `nobody` must reach the project: the temporary folder is private to its owner.
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        command.uid(65534).gid(65534);
    }
    match command.output() {
        Ok(output) => Some(output.into()),
        Err(e) => {
            eprintln!("note: running as root and cannot switch to an unprivileged user ({e})");
            None
        }
    }
}

#[test]
fn unreadable_folders_and_files_are_permission_denied_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    };
    let project = valid_project();
    let dir = project.path();
    let cases: [(&str, u32, &str); 4] = [
        // Not even listed.
        (
            "seeds",
            0o000,
            "error: the seeds folder `seeds` cannot be read: permission denied",
        ),
        // Listed but not entered: the files are seen, not read (once "does not exist … did
        // you mean `report.txt`?").
        (
            "seeds",
            0o644,
            "error: cannot read `seeds/report.txt`: permission denied",
        ),
        (
            "data/claims",
            0o000,
            "error: cannot read `data/claims`: permission denied",
        ),
        (
            "data/entities.toml",
            0o000,
            "error: cannot read `data/entities.toml`: permission denied",
        ),
    ];
    for (path, denied, message) in cases {
        let original = fs::metadata(dir.join(path)).unwrap().permissions();
        mode(&dir.join(path), denied);
        let result = run_denied(dir, &["check"]);
        fs::set_permissions(dir.join(path), original).unwrap();
        let Some(result) = result else {
            // Root that cannot drop its privileges reads everything: the check is clean.
            let result = run(dir, &["check"]);
            assert_eq!(result.code, 0, "{}", result.stderr);
            continue;
        };
        assert_eq!(result.code, 2, "{path}: {}", result.stderr);
        assert_eq!(result.stderr, format!("{message}\n"), "{path}");
    }
}

#[test]
fn utf16_documents_are_told_to_convert_from_utf16() {
    let project = valid_project();
    let dir = project.path();
    let text = "Rebuttal\n\nThe Ministry denied that the Northern Unit lost soldiers.\n";
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(
        dir.join("seeds/rebuttal.txt"),
        [&[0xFF, 0xFE], &utf16le[..]].concat(),
    )
    .unwrap();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    fs::write(dir.join("seeds/report.txt"), &utf16be).unwrap();
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in [
        "source file `rebuttal.txt` is not UTF-8: it is UTF-16 (little-endian, with a byte-order mark)",
        "`iconv -f UTF-16 -t UTF-8 seeds/rebuttal.txt > converted.txt`",
        "source file `report.txt` is not UTF-8: it is UTF-16 (big-endian, without a byte-order mark)",
        "`iconv -f UTF-16BE -t UTF-8 seeds/report.txt > converted.txt`",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
    assert!(
        !result.stderr.to_lowercase().contains("latin"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("control character"),
        "{}",
        result.stderr
    );
    // A data file in UTF-16 too.
    fs::write(dir.join("data/wide.toml"), &utf16le).unwrap();
    let result = run(dir, &["check"]);
    assert!(
        result.stderr.contains("data/wide.toml")
            && result.stderr.contains(
                "not UTF-8: the file is UTF-16 (little-endian, without a byte-order mark)"
            )
            && result
                .stderr
                .contains("iconv -f UTF-16LE -t UTF-8 data/wide.toml"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_quote_that_shares_words_in_another_case_shows_its_passage() {
    let project = valid_project();
    append(
        &project.path().join("data/claims/rebuttal.toml"),
        "\n[[claim]]\nsource = \"rebuttal\"\nsubject = \"unit-deserters\"\npredicate = \"detained_by\"\nobject = \"ministry\"\nquote = \"DIE SOLDATEN WURDEN NICHT FESTGENOMMEN\"\n",
    );
    let result = run(project.path(), &["check"]);
    assert_eq!(result.code, 1);
    assert!(
        result.stderr.contains(
            "line 4 of the document) reads: \"Die Soldaten wurden noch nicht festgenommen.\""
        ),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("shares a word"),
        "{}",
        result.stderr
    );
}

#[test]
fn a_document_its_source_failed_to_read_is_not_also_unused() {
    let project = valid_project();
    let dir = project.path();
    // Not UTF-8; and a misspelt `file` whose hint names the other document.
    fs::write(dir.join("seeds/rebuttal.txt"), b"caf\xe9").unwrap();
    let entities = fs::read_to_string(dir.join("data/entities.toml")).unwrap();
    fs::write(
        dir.join("data/entities.toml"),
        entities.replace("file = \"report.txt\"", "file = \"reprot.txt\""),
    )
    .unwrap();
    fs::write(dir.join("seeds/stray.txt"), "not curated yet").unwrap();
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1);
    assert!(result.stderr.contains("`rebuttal.txt` is not UTF-8"));
    assert!(result.stderr.contains("did you mean `report.txt`?"));
    assert_eq!(
        printed(&result, "warning[unused-document]"),
        1,
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("--> seeds/stray.txt"));
    // A path through a file names the file.
    fs::write(
        dir.join("data/entities.toml"),
        entities.replace("file = \"report.txt\"", "file = \"report.txt/part.txt\""),
    )
    .unwrap();
    let result = run(dir, &["check"]);
    assert!(
        result.stderr.contains(
            "source file `report.txt/part.txt` cannot exist in seeds: `report.txt` is a file, not a folder"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(
        printed(&result, "warning[unused-document]"),
        1,
        "{}",
        result.stderr
    );
}

#[test]
fn a_predicate_sharing_a_place_id_is_reported_once() {
    let project = valid_project();
    let dir = project.path();
    append(
        &dir.join("data/entities.toml"),
        "\n[[place]]\nid = \"count\"\nname = \"Count\"\n",
    );
    append(
        &dir.join("data/claims/report.toml"),
        "\n[[claim]]\nsource = \"report\"\nsubject = \"unit-deserters\"\npredicate = \"count\"\nvalue = 18\nquote = \"18 Soldaten\"\n",
    );
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1);
    assert!(
        result
            .stderr
            .contains("duplicate id `count`: already defined by a place"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("no predicate has that id"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.ends_with("1 error, 0 warnings\n"),
        "{}",
        result.stderr
    );
}

#[test]
fn input_folders_that_are_files_say_so() {
    let project = valid_project();
    let dir = project.path();
    let cases: [(&[&str], &str); 4] = [
        (
            &["check", "--data", "data/entities.toml"],
            "error: the data folder `data/entities.toml` is a file, not a folder\n",
        ),
        (
            &["check", "--data", "data/entities.toml/more"],
            "error: the data folder `data/entities.toml/more` cannot exist: `data/entities.toml` is a file, not a folder\n",
        ),
        (
            &["check", "--seeds", "seeds/report.txt"],
            "error: the seeds folder `seeds/report.txt` is a file, not a folder\n",
        ),
        (
            &["build", "--seeds", "seeds/report.txt/x", "--no-exports"],
            "error: the seeds folder `seeds/report.txt/x` cannot exist: `seeds/report.txt` is a file, not a folder\n",
        ),
    ];
    for (args, message) in cases {
        let result = run(dir, args);
        assert_eq!(result.code, 2, "{args:?}");
        assert_eq!(result.stderr, message, "{args:?}");
    }
}

#[test]
fn symbolic_links_to_folders_under_data_are_errors() {
    let project = valid_project();
    let dir = project.path();
    fs::create_dir(dir.join("elsewhere")).unwrap();
    fs::write(
        dir.join("elsewhere/more.toml"),
        "[[country]]\nid = \"x\"\nname = \"X\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join("data/linked")).unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere/more.toml"), dir.join("data/more.toml"))
        .unwrap();
    let result = run(dir, &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in [
        "error[unreadable-file]: a symbolic link to a folder (`",
        "links under the data folder are not followed\n--> data/linked",
        "error[unreadable-file]: a symbolic link to a file (`",
        "--> data/more.toml",
        "point `--data` at the folder itself",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stderr
        );
    }
    // The data folder itself may be a link.
    fs::remove_file(dir.join("data/linked")).unwrap();
    fs::remove_file(dir.join("data/more.toml")).unwrap();
    std::os::unix::fs::symlink(dir.join("data"), dir.join("data-link")).unwrap();
    let result = run(dir, &["check", "--data", "data-link"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
}

#[test]
fn no_data_files_is_exit_2_and_nothing_is_written() {
    let project = valid_project();
    let dir = project.path();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let database = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    let exports: Vec<_> = fs::read_dir(dir.join("exports")).unwrap().collect();
    fs::remove_dir_all(dir.join("data")).unwrap();
    fs::create_dir_all(dir.join("data/empty")).unwrap();
    fs::write(dir.join("data/README.md"), "curated files go here").unwrap();
    for command in ["check", "build"] {
        let result = run(dir, &[command]);
        assert_eq!(result.code, 2, "{command}: {}", result.stderr);
        assert_eq!(
            result.stderr,
            "error: no data files (*.toml) under `data`: nothing to check, and nothing was written\n"
        );
    }
    assert_eq!(fs::read(dir.join("claimgraph.sqlite")).unwrap(), database);
    assert_eq!(
        fs::read_dir(dir.join("exports")).unwrap().count(),
        exports.len()
    );
}

#[test]
fn the_summary_counts_one_of_a_kind_in_the_singular() {
    let fixture = crate::fixtures().join("explorer/script");
    let result = crate::run(
        &crate::root(),
        &[
            "check",
            "--data",
            fixture.join("data").to_str().unwrap(),
            "--seeds",
            fixture.join("seeds").to_str().unwrap(),
        ],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "checked 3 data files: 3 entities, 1 predicate, 1 claim, 1 document; no errors"
        ),
        "{}",
        result.stderr
    );
}
