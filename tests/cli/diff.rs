//! `claimgraph diff`: on a git history made here from the curated data (a commit that adds a
//! claim, one that flips a stance into a conflict, one that merges two people, one that only
//! reorders and reformats), on two databases, and on what it cannot compare.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{Run, claimgraph, root};

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Curator",
            "-c",
            "user.email=curator@example.org",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs (install git)");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A repository holding the curated data and seeds, committed once.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join("data"), &dir.path().join("data"));
    copy(&root().join("seeds"), &dir.path().join("seeds"));
    git(dir.path(), &["init", "-q"]);
    commit(dir.path(), "the curated data");
    dir
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

fn edit(dir: &Path, file: &str, change: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = change(text.clone());
    assert_ne!(changed, text, "{file} did not change");
    std::fs::write(path, changed).unwrap();
}

fn diff(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["diff"];
    all.extend(args);
    Run::from(claimgraph(dir).args(&all).output().unwrap())
}

/// The JSON report of `diff OLD [NEW]` (no NEW when `new` is empty).
fn json(dir: &Path, old: &str, new: &str) -> Value {
    let mut args = vec![old];
    if !new.is_empty() {
        args.push(new);
    }
    args.extend(["--format", "json"]);
    let run = diff(dir, &args);
    assert!(run.code == 0 || run.code == 1, "{run:?}");
    let value: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["changed"], Value::Bool(run.code == 1), "{run:?}");
    value
}

const ADDED: &str = r#"
[[claim]]
id = "added-by-review"
source = "de-nk-deserters"
reported_by = "conflict-intelligence-team"
subject = "russia"
predicate = "assessed_as"
value = "needs recruits"
quote = 'Russland braucht Rekruten'
"#;

#[test]
fn a_commit_that_adds_a_claim_shows_it_with_its_quote_and_the_voice_it_adds() {
    let repo = repository();
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t + ADDED
    });
    commit(repo.path(), "a claim added");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let added = changes["claims"]["added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{changes:#}");
    assert_eq!(added[0]["id"], "added-by-review");
    assert_eq!(added[0]["quote"], "Russland braucht Rekruten");
    assert_eq!(
        added[0]["attribution"], "Conflict Intelligence Team",
        "{changes:#}"
    );
    let text =
        std::fs::read_to_string(repo.path().join("data/claims/de-nk-deserters.toml")).unwrap();
    let header = text
        .lines()
        .position(|l| l == "id = \"added-by-review\"")
        .unwrap();
    assert_eq!(
        added[0]["at"],
        format!("claims/de-nk-deserters.toml:{header}")
    );
    assert_eq!(changes["claims"]["removed"], Value::Array(vec![]));
    assert_eq!(changes["claims"]["changed"], Value::Array(vec![]));
    assert!(
        changes["entities"]["changed"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The statement gained a voice.
    let voices = changes["analysis"]["voices_changed"].as_array().unwrap();
    assert_eq!(voices.len(), 1, "{changes:#}");
    assert_eq!(voices[0]["statement"], "Russia assessed as needs recruits");
    assert_eq!(
        voices[0]["gained"],
        serde_json::json!(["Conflict Intelligence Team"])
    );
    assert_eq!(
        (voices[0]["old"].as_i64(), voices[0]["new"].as_i64()),
        (Some(1), Some(2))
    );

    // The text report says the same, and exit code 1 says something changed.
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("Claims: 1 added, 0 removed, 0 changed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("“Russland braucht Rekruten”"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Russia assessed as needs recruits: 1 voice → 2 voices"),
        "{}",
        run.stdout
    );
}

/// The first claim of `file` that gives no stance, as `(its line, the statement's claims)`.
fn affirming_claim_with_company(dir: &Path) -> (String, usize) {
    let db = dir.join("base.sqlite");
    let built = claimgraph(dir)
        .args(["build", "--no-exports", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let rows = Run::from(
        claimgraph(dir)
            .args([
                "query",
                "--db",
                db.to_str().unwrap(),
                "--format",
                "csv",
                "SELECT c.file, c.line FROM claims c JOIN statements s ON s.id = c.statement_id \
                 WHERE s.stance = 'affirms' AND s.reports >= 2 AND s.conflicting = 0 \
                 ORDER BY c.file, c.line",
            ])
            .output()
            .unwrap(),
    );
    std::fs::remove_file(&db).unwrap();
    for row in rows.stdout.lines().skip(1) {
        let (file, line) = row.split_once(',').unwrap();
        let line: usize = line.parse().unwrap();
        let text = std::fs::read_to_string(dir.join("data").join(file)).unwrap();
        let block: Vec<&str> = text
            .lines()
            .skip(line)
            .take_while(|l| !l.starts_with("[["))
            .collect();
        if !block.iter().any(|l| l.starts_with("stance")) {
            return (format!("data/{file}"), line);
        }
    }
    panic!(
        "no affirmed statement of two claims without a stance line:\n{}",
        rows.stdout
    );
}

#[test]
fn a_commit_that_flips_a_stance_shows_the_change_and_the_conflict_it_makes() {
    let repo = repository();
    let (file, line) = affirming_claim_with_company(repo.path());
    edit(repo.path(), &file, |text| {
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines.insert(line, "stance = \"denies\"");
        lines.join("\n")
    });
    commit(repo.path(), "a stance flipped");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let changed = changes["claims"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes:#}");
    assert_eq!(
        changed[0]["fields"],
        serde_json::json!([{"field": "stance", "old": "affirms", "new": "denies"}])
    );
    // The claim's derived id moved with what it says; the old one is named.
    assert_ne!(changed[0]["id"], changed[0]["old_id"]);
    assert!(changed[0]["quote"].as_str().is_some_and(|q| !q.is_empty()));
    let appeared = changes["analysis"]["conflicts_appeared"]
        .as_array()
        .unwrap();
    assert!(!appeared.is_empty(), "{changes:#}");
    assert!(
        appeared.iter().all(|c| c["reason"] == "opposite-stance"
            && (c["a"]["id"] == changed[0]["id"] || c["b"]["id"] == changed[0]["id"])),
        "{appeared:#?}"
    );
    assert_eq!(
        changes["analysis"]["conflicts_resolved"],
        Value::Array(vec![])
    );
    // The denial is a new statement of one voice; the affirmation lost that voice or kept it
    // through another claim, but never gained one.
    let new = changes["analysis"]["statements_new"].as_array().unwrap();
    assert_eq!(new.len(), 1, "{changes:#}");
    assert!(
        new[0]["statement"].as_str().unwrap().contains(" not "),
        "{new:#?}"
    );
    assert!(
        changes["analysis"]["voices_changed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["gained"] == Value::Array(vec![]))
    );

    let markdown = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{markdown:?}");
    assert!(
        markdown
            .stdout
            .starts_with("### claimgraph diff: revision `HEAD~1` → revision `HEAD`\n")
    );
    assert!(
        markdown.stdout.contains("#### Conflicts appeared ("),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown.stdout.contains("  - stance: `affirms` → `denies`"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_commit_that_merges_two_people_shows_one_gone_the_other_changed_and_their_claims_moved() {
    let repo = repository();
    let claims_naming = |dir: &Path| {
        walkdir::WalkDir::new(dir.join("data/claims"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                std::fs::read_to_string(e.path())
                    .unwrap()
                    .split("[[claim]]")
                    .filter(|c| c.contains("\"sergej\""))
                    .count()
            })
            .sum::<usize>()
    };
    let moved = claims_naming(repo.path());
    assert!(moved > 0);
    edit(repo.path(), "data/people.toml", |t| {
        t.replace(
            "[[person]]\nid = \"sergej\"\nname = \"Sergej\"\ndescription = \"Russian army deserter named only by first name; hid for a year in Russia, later got out and now lives abroad (001).\"\n\n",
            "",
        )
        .replace(
            "id = \"michail\"\nname = \"Michail\"\n",
            "id = \"michail\"\nname = \"Michail\"\naliases = [\"Sergej\"]\n",
        )
    });
    for entry in walkdir::WalkDir::new(repo.path().join("data/claims")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(entry.path(), text.replace("\"sergej\"", "\"michail\"")).unwrap();
        }
    }
    commit(repo.path(), "sergej merged into michail");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let entities = &changes["entities"];
    assert_eq!(entities["removed"][0]["id"], "sergej", "{entities:#}");
    assert_eq!(entities["removed"].as_array().unwrap().len(), 1);
    assert_eq!(entities["changed"][0]["id"], "michail");
    assert_eq!(
        entities["changed"][0]["fields"],
        serde_json::json!([{"field": "aliases", "old": null, "new": "Sergej"}])
    );
    let changed = changes["claims"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), moved, "{changes:#}");
    assert!(changed.iter().all(|c| {
        c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["old"] == "sergej" && f["new"] == "michail")
    }));
    assert_eq!(changes["claims"]["added"], Value::Array(vec![]));
    assert_eq!(changes["claims"]["removed"], Value::Array(vec![]));
    // Sergej's statements are Michail's now: the same statements, worded anew.
    let analysis = &changes["analysis"];
    let renamed: Vec<&Value> = analysis["voices_changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["was"].as_str().is_some_and(|w| w.starts_with("Sergej ")))
        .collect();
    assert!(!renamed.is_empty(), "{analysis:#}");
    for v in &renamed {
        let was = v["was"].as_str().unwrap();
        assert_eq!(
            v["statement"],
            was.replacen("Sergej ", "Michail ", 1),
            "{v:#}"
        );
    }
    assert!(
        analysis["statements_gone"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| !v["statement"].as_str().unwrap().starts_with("Sergej ")),
        "{analysis:#}"
    );
    // The report says so in words: the same voices, the statement worded anew.
    let text = diff(repo.path(), &["HEAD~1", "HEAD"]);
    let first = renamed[0];
    let voices = first["new"].as_i64().unwrap();
    let line = format!(
        "  ~ {}: worded anew, {voices} voice{} as before\n      was: {}\n",
        first["statement"].as_str().unwrap(),
        if voices == 1 { "" } else { "s" },
        first["was"].as_str().unwrap()
    );
    assert!(text.stdout.contains(&line), "{line}\n{}", text.stdout);
}

#[test]
fn a_commit_that_only_reorders_and_reformats_shows_nothing_and_exits_0() {
    let repo = repository();
    edit(
        repo.path(),
        "data/claims/nl-russian-deserters.toml",
        |text| {
            // The claims in reverse order, each key's `=` padded.
            let (head, claims) = text.split_once("[[claim]]").unwrap();
            let pad = |line: &str| match line.split_once(" = ") {
                Some((key, value)) if !key.contains(' ') => format!("{key}   =   {value}"),
                _ => line.to_owned(),
            };
            let mut blocks: Vec<String> = claims
                .split("[[claim]]")
                .map(|b| {
                    let lines: Vec<String> = b.trim_end().lines().map(pad).collect();
                    format!("[[claim]]{}", lines.join("\n"))
                })
                .collect();
            blocks.reverse();
            format!("{head}{}\n", blocks.join("\n\n\n"))
        },
    );
    commit(repo.path(), "reordered and reformatted");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "claimgraph diff: revision HEAD~1 → revision HEAD\n\nno change to the records or the analysis\n"
    );
    let value = json(repo.path(), "HEAD~1", "HEAD");
    assert_eq!(value["changed"], Value::Bool(false));
}

#[test]
fn two_databases_and_the_working_tree_compare_as_their_revisions_do() {
    let repo = repository();
    let old = repo.path().join("old.sqlite");
    let build = |db: &Path| {
        let out = claimgraph(repo.path())
            .args(["build", "--no-exports", "--db"])
            .arg(db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build(&old);
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t + ADDED
    });
    // The working tree (no NEW) against the committed revision.
    let from_tree = json(repo.path(), "HEAD", "");
    let new = repo.path().join("new.sqlite");
    build(&new);
    let from_files = json(repo.path(), old.to_str().unwrap(), new.to_str().unwrap());
    assert_eq!(from_tree["changes"], from_files["changes"]);
    assert_eq!(from_tree["new"], "the working tree");
    assert_eq!(from_files["old"], old.to_str().unwrap());
    assert_eq!(
        from_files["changes"]["claims"]["added"][0]["id"],
        "added-by-review"
    );
    // A database against itself: nothing.
    let same = diff(repo.path(), &[old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(same.code, 0, "{same:?}");
}

#[test]
fn what_diff_cannot_compare_is_named_with_exit_code_2() {
    let repo = repository();
    let run = diff(repo.path(), &["no-such-revision", "HEAD"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: `no-such-revision` is neither a database file nor a revision"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .trim_end()
            .ends_with(": git knows no commit by that name"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");

    // A revision whose data has errors is refused, naming the first.
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t.replacen("subject = \"russia\"", "subject = \"rusia\"", 1)
    });
    commit(repo.path(), "a typo");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("the data of revision HEAD has errors (1 error; first: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`rusia`"), "{}", run.stderr);

    // Outside a git repository, a name that is no file is no revision either.
    let elsewhere = tempfile::tempdir().unwrap();
    let run = diff(elsewhere.path(), &["HEAD", "main"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("neither a database file nor a revision"),
        "{}",
        run.stderr
    );
}

/// What says nothing new moves nothing: a claim's note is a change of that claim under the
/// same id, and a claim moved to another file (a new line, a new file) is no change at all.
#[test]
fn a_note_keeps_the_claim_id_and_a_claim_moved_to_another_file_is_no_change() {
    let repo = repository();
    let file = "data/claims/de-nk-deserters.toml";
    edit(repo.path(), file, |t| {
        t.replacen(
            "note = \"Russia needs recruits (the article's kicker).\"",
            "note = \"Russia needs recruits: the article's kicker.\"",
            1,
        )
    });
    commit(repo.path(), "a note reworded");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let changed = changes["claims"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes:#}");
    assert_eq!(changed[0]["id"], changed[0]["old_id"]);
    assert_eq!(changed[0]["fields"][0]["field"], "note");
    assert!(
        changes["analysis"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| v == &Value::Array(vec![]))
    );

    // The first claim of the file moved to a file of its own.
    let text = std::fs::read_to_string(repo.path().join(file)).unwrap();
    let start = text.find("[[claim]]").unwrap();
    let end = start + 9 + text[start + 9..].find("[[claim]]").unwrap();
    std::fs::write(
        repo.path().join(file),
        format!("{}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    std::fs::write(
        repo.path().join("data/claims/moved.toml"),
        &text[start..end],
    )
    .unwrap();
    commit(repo.path(), "a claim moved");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// A chain re-pointed so that two documents trace the 18 deserters back to one voice (circular
/// reporting), a claim whose origin is its own subject (an interested party), and a photo
/// credit's name now used by a claim.
#[test]
fn circular_reporting_interested_parties_and_names_used_are_effects_it_names() {
    let repo = repository();
    let file = "data/claims/de-nk-deserters.toml";
    edit(repo.path(), file, |t| {
        t.replacen(
            "citing = [\"choson-ilbo\", \"ukrainian-military-official\"]\nsubject = \"nk-deserters\"\npredicate = \"troop_count\"",
            "citing = [\"choson-ilbo\", \"ukraine-intelligence\"]\nsubject = \"nk-deserters\"\npredicate = \"troop_count\"",
            1,
        ) + "\n[[claim]]\nid = \"russia-on-itself\"\nsource = \"de-nk-deserters\"\nreported_by = \"russia\"\nsubject = \"russia\"\npredicate = \"assessed_as\"\nvalue = \"needs recruits\"\nquote = 'Russland braucht Rekruten'\n"
            + "\n[[claim]]\nid = \"a-credit-used\"\nsource = \"de-nk-deserters\"\nreported_by = \"ed-jones\"\nsubject = \"russia\"\npredicate = \"assessed_as\"\nvalue = \"needs recruits\"\nquote = 'Russland braucht Rekruten'\n"
    });
    commit(repo.path(), "a chain re-pointed, two claims added");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let analysis = &changes["analysis"];
    assert_eq!(
        analysis["circular_appeared"],
        serde_json::json!(["18 North Korean deserters troop count 18"]),
        "{analysis:#}"
    );
    let interested = analysis["interested_appeared"].as_array().unwrap();
    assert_eq!(interested.len(), 1, "{analysis:#}");
    assert_eq!(interested[0]["origin"], "Russia");
    assert_eq!(interested[0]["claim"]["id"], "russia-on-itself");
    assert_eq!(
        analysis["mentions_linked"],
        serde_json::json!([{"document": "de-nk-deserters", "entity": "ed-jones", "name": "Ed Jones"}]),
        "{analysis:#}"
    );
    let text = diff(repo.path(), &["HEAD~1", "HEAD"]).stdout;
    for line in [
        "Circular reporting appeared (1)\n  ! 18 North Korean deserters troop count 18\n",
        "Origins now a party to what they report (1)\n  ! Russia: russia-on-itself in de-nk-deserters, by Russia: Russia assessed as needs recruits\n",
        "  - Ed Jones (ed-jones) in de-nk-deserters\n",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}

/// Names, notes and values are the data's words, never markup: in the Markdown report a name
/// with emphasis, HTML, a link, a table's bar and a line break reads as written once a
/// CommonMark reader (markdown-it-py, with GitHub's tables and strike-through) renders it, and
/// a value with backticks is one code span holding them; in the plain report a line break in a
/// name cannot break a line, nor an escape character (in a database changed by other means)
/// reach the terminal.
#[test]
fn words_from_the_data_stay_words_in_markdown_and_in_the_terminal() {
    let repo = repository();
    let hostile = r"*CIT* _team_ <b>x</b> [a](http://e.org) | ~~s~~ # &amp; \\ \n2. item";
    edit(repo.path(), "data/organisations.toml", |t| {
        t.replacen(
            "name = \"Conflict Intelligence Team\"",
            &format!("name = \"{hostile}\""),
            1,
        )
    });
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t.replacen(
            "note = \"Russia needs recruits (the article's kicker).\"",
            "note = \"a `tick`, ``two`` and `\"",
            1,
        )
    });
    // A quote that starts as a numbered list item would.
    edit(repo.path(), "data/claims/de-nk-soldiers.toml", |t| {
        t.replacen(
            "quote = 'Washington erklärte am 28. Oktober, dass",
            "quote = '28. Oktober, dass",
            1,
        )
    });
    commit(repo.path(), "hostile words");
    // What the TOML above holds, as the data's words.
    let name = "*CIT* _team_ <b>x</b> [a](http://e.org) | ~~s~~ # &amp; \\ \n2. item";
    let note = "a `tick`, ``two`` and `";
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    assert_eq!(changes["entities"]["changed"][0]["fields"][0]["new"], name);

    let markdown = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{markdown:?}");
    let html = render_markdown(&markdown.stdout);
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    // The name as text, its line break shown, nowhere as markup.
    let shown = name.replace('\n', "↵");
    assert!(
        html.contains(&format!("“{}”", escape(&shown))),
        "{}\n{html}",
        escape(&shown)
    );
    // (`<del>` marks the words a changed quote lost, never the name's `~~s~~`.)
    for markup in ["<em>", "<del>s</del>", "<a ", "<b>", "<table", "<h1", "<ol"] {
        assert!(!html.contains(markup), "{markup} in\n{html}");
    }
    assert!(
        html.contains("<blockquote>\n<p>28. Oktober, dass 10.000 Nordkoreaner"),
        "{html}"
    );
    // The note, changed, as one code span each side.
    assert!(
        html.contains(&format!("<code>{}</code>", escape(note))),
        "{}\n{html}",
        escape(note)
    );

    let text = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(text.stdout.contains(&shown), "{}", text.stdout);
    assert!(
        !text.stdout.lines().any(|l| l.starts_with("2. item")),
        "{}",
        text.stdout
    );

    // `check` refuses a terminal's escape character in a name; a database changed by other
    // means can hold one, and the report shows it by its code point instead of sending it.
    let db = repo.path().join("edited.sqlite");
    let built = claimgraph(repo.path())
        .args(["build", "--no-exports", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let updated = conn
        .execute(
            "UPDATE entities SET name = name || char(27) || '[31m' \
             WHERE id = 'conflict-intelligence-team'",
            [],
        )
        .unwrap();
    assert_eq!(updated, 1);
    drop(conn);
    let text = diff(repo.path(), &["HEAD", db.to_str().unwrap()]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(!text.stdout.contains('\u{1b}'), "{}", text.stdout);
    assert!(
        text.stdout.contains(&format!("{shown}\\u{{1b}}[31m”")),
        "{}",
        text.stdout
    );
}

/// A long text changed in a few words shows those words, marked, among the words around them,
/// not the whole text twice; in Markdown as `<del>` and `<ins>` with the data's words still
/// words. A rewrite, a short value and the JSON report keep both texts whole.
#[test]
fn a_reworded_note_shows_the_words_that_changed_in_their_context() {
    let repo = repository();
    let before = "W. Guanjung said at the press conference that he was motivated by social media. \
                  Hedged: two sentences later the article says it is uncertain whether W. (a \
                  prisoner of war) can speak freely.";
    let after = "W. Guanjung said at the press conference that he was motivated by *Douyin* \
                 videos. Hedged: two sentences later the article says it is uncertain whether W. \
                 (a prisoner of war) can speak freely.";
    edit(repo.path(), "data/claims/nl-chinese-recruits.toml", |t| {
        t.replacen(
            &format!("note = \"{before}\""),
            &format!("note = \"{after}\""),
            1,
        )
    });
    // A note rewritten: it keeps a word or two of the old.
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t.replacen(
            "note = \"Russia needs recruits (the article's kicker).\"",
            "note = \"The kicker above the headline, which the article states as its own claim \
             without naming any source.\"",
            1,
        )
    });
    commit(repo.path(), "notes reworded");

    let text = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(text.code, 1, "{text:?}");
    let line = |prefix: &str| -> String {
        text.stdout
            .lines()
            .filter(|l| l.trim_start().starts_with(prefix))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let notes = line("note: ");
    assert!(
        notes.contains(
            "note: … conference that he was motivated by [-social media.-]{+*Douyin* videos.+} \
             Hedged: two sentences later the article …"
        ),
        "{}",
        text.stdout
    );
    assert!(!notes.contains(before) && !notes.contains(after), "{notes}");
    // The rewritten note: both whole.
    assert!(
        notes.contains(
            "note: Russia needs recruits (the article's kicker). → The kicker above the \
             headline, which the article states as its own claim without naming any source."
        ),
        "{notes}"
    );
    // The JSON report holds both texts whole.
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let fields: Vec<&Value> = changes["claims"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["fields"].as_array().unwrap())
        .collect();
    assert!(
        fields
            .iter()
            .any(|f| f["old"] == before && f["new"] == after),
        "{fields:#?}"
    );

    let markdown = diff(repo.path(), &["HEAD~1", "HEAD", "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{markdown:?}");
    let html = render_markdown(&markdown.stdout);
    assert!(
        html.contains("<del>social media.</del><ins>*Douyin* videos.</ins> Hedged: two sentences"),
        "{html}"
    );
    assert!(!html.contains("<em>"), "{html}");
}

/// Markdown as a CommonMark reader (markdown-it-py, with GitHub's tables and strike-through)
/// renders it to HTML.
fn render_markdown(markdown: &str) -> String {
    let python = root().join(".venv/bin/python");
    assert!(
        python.is_file(),
        "no .venv/bin/python; run `bash .ci/run` once: it installs markdown-it-py into .venv/"
    );
    let mut reader = Command::new(python)
        .args([
            "-c",
            "import sys, markdown_it; \
             md = markdown_it.MarkdownIt('commonmark').enable(['table', 'strikethrough']); \
             sys.stdout.write(md.render(sys.stdin.read()))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    reader
        .stdin
        .take()
        .unwrap()
        .write_all(markdown.as_bytes())
        .unwrap();
    let rendered = reader.wait_with_output().unwrap();
    assert!(rendered.status.success());
    String::from_utf8(rendered.stdout).unwrap()
}

/// What moves a claim's id or its passage is a change: the quote taken from another place of
/// the same text (`occurrence`), an id given by hand. A statement that a stance flip or a
/// corrected object leaves without claims is gone, and the one it became is new: never "worded
/// anew", which is for an entity merged or renamed.
#[test]
fn a_moved_passage_a_new_id_and_a_reversed_fact_are_changes_not_rewordings() {
    let repo = repository();
    let file = "data/claims/de-nk-deserters.toml";
    edit(repo.path(), file, |t| {
        t.replacen(
            "occurrence = 1 # the headline",
            "occurrence = 2 # the caption",
            1,
        )
    });
    commit(repo.path(), "the headline's claim quotes the caption");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let changed = changes["claims"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes:#}");
    assert_ne!(changed[0]["id"], changed[0]["old_id"]);
    let place = &changed[0]["fields"][0];
    assert_eq!(place["field"], "occurrence", "{changes:#}");
    assert_eq!(
        (&place["old"], &place["new"]),
        (&Value::from("1"), &Value::from("2"))
    );

    // An id written by hand where it was derived: the claim, under its new id.
    edit(repo.path(), file, |t| {
        t.replacen(
            "subject = \"nk-deserters\"\npredicate = \"fled_from\"\nobject = \"ukraine-front\"\n",
            "subject = \"nk-deserters\"\npredicate = \"fled_from\"\nobject = \"ukraine-front\"\n\
             id = \"caption-claim\"\n",
            1,
        )
    });
    commit(repo.path(), "an id by hand");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("caption-claim in de-nk-deserters"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(", was c-"), "{}", run.stdout);

    // The first annexation denied, the second's region corrected to one the data already has.
    edit(repo.path(), file, |t| {
        t.replacen(
            "object = \"kherson-region\"\n",
            "object = \"kherson-region\"\nstance = \"denies\"\n",
            1,
        )
        .replacen(
            "object = \"donetsk-region\"\n",
            "object = \"kursk-region\"\n",
            1,
        )
    });
    commit(repo.path(), "a denial and a correction");
    let analysis = &json(repo.path(), "HEAD~1", "HEAD")["changes"]["analysis"];
    let words = |list: &str| -> Vec<String> {
        analysis[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["statement"].as_str().unwrap().to_owned())
            .collect()
    };
    let gone = words("statements_gone");
    let new = words("statements_new");
    for statement in [
        "Kremlin annexed Kherson region",
        "Kremlin annexed Donetsk region",
    ] {
        assert!(
            gone.iter().any(|s| s == statement),
            "{statement} not gone: {analysis:#}"
        );
    }
    for statement in [
        "Kremlin not annexed Kherson region",
        "Kremlin annexed Kursk region",
    ] {
        assert!(
            new.iter().any(|s| s == statement),
            "{statement} not new: {analysis:#}"
        );
    }
    assert!(
        analysis["voices_changed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["was"].is_null()),
        "{analysis:#}"
    );
}

/// Two entities' ids renamed everywhere, their names kept (a subject's, a voice's): their claims
/// are changed, and no statement is reported worded anew in the same words or as gaining and
/// losing the same voice.
#[test]
fn an_id_renamed_with_its_name_kept_rewords_no_statement() {
    let repo = repository();
    for entry in walkdir::WalkDir::new(repo.path().join("data")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            // A subject's id, and a voice's.
            let renamed = text
                .replace("\"nk-deserters\"", "\"north-korean-deserters\"")
                .replace("\"conflict-intelligence-team\"", "\"cit\"");
            if renamed != text {
                std::fs::write(entry.path(), renamed).unwrap();
            }
        }
    }
    commit(repo.path(), "an id renamed");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    assert!(!changes["claims"]["changed"].as_array().unwrap().is_empty());
    let reworded: Vec<&Value> = changes["analysis"]["voices_changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["was"] == v["statement"]
                || (v["was"].is_null() && v["gained"] == v["lost"] && v["old"] == v["new"])
        })
        .collect();
    assert!(reworded.is_empty(), "{reworded:#?}");
}

/// A claim added hedged, with a date and a note, says so in every report.
#[test]
fn an_added_claim_shows_its_hedging_date_and_note() {
    let repo = repository();
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        format!(
            "{t}{}",
            ADDED.replace(
                "quote = 'Russland braucht Rekruten'\n",
                "quote = 'Russland braucht Rekruten'\nhedged = true\nwhen = \"2024-10\"\n\
                 note = \"Added in review.\"\n"
            )
        )
    });
    commit(repo.path(), "a hedged claim");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("Russia assessed as needs recruits (hedged) (when: 2024-10)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("      note: Added in review."),
        "{}",
        run.stdout
    );
    let added = &json(repo.path(), "HEAD~1", "HEAD")["changes"]["claims"]["added"][0];
    assert_eq!(added["hedged"], true, "{added:#}");
    assert_eq!(added["when"], "2024-10", "{added:#}");
    assert_eq!(added["fields"]["note"], "Added in review.", "{added:#}");
    assert_eq!(
        added["fields"]["reported_by"], "conflict-intelligence-team",
        "{added:#}"
    );
}

/// A document's text edited: the passage that changed, with the words that changed, beside the
/// new digest; the quotes elsewhere in it are no change.
#[test]
fn a_changed_document_text_shows_the_passage_that_changed() {
    let repo = repository();
    edit(repo.path(), "seeds/000_a0e8ca68035982e4.txt", |t| {
        t.replacen(
            "van screenshots en foto",
            "van schermafbeeldingen en foto",
            1,
        )
    });
    commit(repo.path(), "a word of the Dutch article");
    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 1, "{run:?}");
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("text, line 19: "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("varieert van [-screenshots-]{+schermafbeeldingen+} en foto"),
        "{line}"
    );
    assert!(
        run.stdout.contains("document text (SHA-256): "),
        "{}",
        run.stdout
    );
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    assert!(
        changes["claims"]["changed"].as_array().unwrap().is_empty(),
        "{changes:#}"
    );
}

/// Which of the places with a quote's words the claim means (`occurrence`) is compared, not the
/// offsets: a new occurrence is a change even when the document's text changed too, a document
/// edited before a quote moves no claim, and a quote edited where it stands is a change of its
/// quote only.
#[test]
fn a_quote_taken_elsewhere_is_a_change_whatever_else_moved_and_an_edited_quote_is_not() {
    let repo = repository();
    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t.replacen(
            "occurrence = 1 # the headline",
            "occurrence = 2 # the caption",
            1,
        )
    });
    edit(repo.path(), "seeds/004_ff64e70a8aca6d31.txt", |t| {
        format!("Eine Zeile davor.\n{t}\nEin Satz mehr.\n")
    });
    commit(repo.path(), "the caption, and a sentence more");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let changed = changes["claims"]["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes:#}");
    let place = &changed[0]["fields"][0];
    assert_eq!(place["field"], "occurrence", "{changes:#}");
    assert_eq!(
        (&place["old"], &place["new"]),
        (&Value::from("1"), &Value::from("2"))
    );

    edit(repo.path(), "data/claims/de-nk-deserters.toml", |t| {
        t.replacen(
            "quote = 'Russland braucht Rekruten'",
            "quote = 'Russland braucht'",
            1,
        )
    });
    commit(repo.path(), "a shorter quote");
    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let fields: Vec<&Value> = changes["claims"]["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["fields"].as_array().unwrap())
        .map(|f| &f["field"])
        .collect();
    assert_eq!(fields, ["quote"], "{changes:#}");
}

/// Lines added and lines removed from a document are named by where they are (added: in the new
/// text; removed: in the old), with their text; past twenty passages the text report says how
/// many more there are, and the JSON report holds every one.
#[test]
fn lines_added_and_removed_from_a_document_are_named_and_counted() {
    let repo = repository();
    let file = "seeds/000_a0e8ca68035982e4.txt";
    let text = std::fs::read_to_string(repo.path().join(file)).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert_eq!(lines[10], "Roem en militair toerisme\n");
    // A subheading (line 11) removed, and a line added after each of 24 blank lines after it.
    let mut edited = String::new();
    let mut added = 0;
    for (i, line) in lines.iter().enumerate() {
        if i == 10 {
            continue;
        }
        edited.push_str(line);
        if *line == "\n" && added < 24 && i > 11 {
            added += 1;
            edited.push_str(&format!("Zeile {added}.\n"));
        }
    }
    assert_eq!(added, 24);
    std::fs::write(repo.path().join(file), edited).unwrap();
    commit(repo.path(), "a subheading out, lines in");

    let changes = &json(repo.path(), "HEAD~1", "HEAD")["changes"];
    let fields = changes["sources"]["changed"][0]["fields"]
        .as_array()
        .unwrap();
    let passages: Vec<&Value> = fields
        .iter()
        .filter(|f| f["field"].as_str().unwrap().starts_with("text, "))
        .collect();
    assert_eq!(passages.len(), 25, "{fields:#?}");
    assert_eq!(passages[0]["field"], "text, old line 11 (removed)");
    assert_eq!(passages[0]["old"], "Roem en militair toerisme");
    assert!(passages[0]["new"].is_null());
    assert!(
        passages[1]["field"].as_str().unwrap().ends_with(" (added)"),
        "{:#?}",
        passages[1]
    );
    assert_eq!(passages[1]["new"], "Zeile 1.");

    let run = diff(repo.path(), &["HEAD~1", "HEAD"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stdout.matches("      text, ").count(),
        20,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("… 5 more changed passages of the text (all in `--format json`)"),
        "{}",
        run.stdout
    );
}
