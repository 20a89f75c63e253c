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
    assert_reports("control-character", 1, &["data/claims.toml:7:8", "U+202E"]);
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
