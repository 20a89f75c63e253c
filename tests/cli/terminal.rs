//! Terminal manners: colour and bold only where they are wanted (`NO_COLOR`, `CLICOLOR_FORCE`,
//! a terminal), completion scripts that the shells load, a manual page that man renders, and
//! `--version` naming the database schema.

use std::path::Path;
use std::process::Command;

use crate::{Run, build_database, claimgraph, fixtures, root, run};

/// Whether the text holds an SGR sequence (colour or bold: `ESC [ … m`). A spinner's line
/// clearing (`ESC [ 2K`) is not one.
fn has_sgr(text: &str) -> bool {
    text.split('\x1b').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|sequence| {
            let end = sequence
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap_or(sequence.len());
            sequence[end..].starts_with('m')
        })
    })
}

/// Runs claimgraph in `dir` with the colour variables given (the others unset), its output
/// piped.
fn run_with(dir: &Path, args: &[&str], colour: &[(&str, &str)]) -> Run {
    let mut command = claimgraph(dir);
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (name, value) in colour {
        command.env(name, value);
    }
    command.output().expect("claimgraph runs").into()
}

const CHECK: &[&str] = &["check", "--data", "data", "--seeds", "../../seeds"];

fn unknown_reference() -> std::path::PathBuf {
    fixtures().join("check/unknown-reference")
}

#[test]
fn diagnostics_are_coloured_only_where_colour_is_wanted() {
    let dir = unknown_reference();
    let piped = run_with(&dir, CHECK, &[]);
    assert_eq!(piped.code, 1);
    assert!(piped.stderr.contains("error[unknown-reference]"));
    assert!(!has_sgr(&piped.stderr), "piped: {:?}", piped.stderr);

    let forced = run_with(&dir, CHECK, &[("CLICOLOR_FORCE", "1")]);
    assert!(has_sgr(&forced.stderr), "forced: {:?}", forced.stderr);
    // The same diagnostics, only styled.
    assert_eq!(
        anstream::adapter::strip_str(&forced.stderr).to_string(),
        piped.stderr
    );

    let no_color = run_with(&dir, CHECK, &[("NO_COLOR", "1")]);
    assert!(
        !has_sgr(&no_color.stderr),
        "NO_COLOR: {:?}",
        no_color.stderr
    );
    assert_eq!(no_color.stderr, piped.stderr);
    // NO_COLOR wins over CLICOLOR_FORCE, as anstream (and clap's help) have it.
    let both = run_with(&dir, CHECK, &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
    assert!(!has_sgr(&both.stderr), "both: {:?}", both.stderr);
}

#[test]
fn search_hits_are_bold_only_where_colour_is_wanted() {
    let (_guard, db) = build_database(
        &fixtures().join("check/valid/data"),
        &fixtures().join("seeds"),
    );
    let db = db.to_str().unwrap();
    let search = ["search", "Northern", "--db", db];
    let piped = run_with(&root(), &search, &[]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(piped.stdout.contains("[Northern]"), "{}", piped.stdout);
    assert!(!has_sgr(&piped.stdout), "{:?}", piped.stdout);

    let forced = run_with(&root(), &search, &[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.stdout.contains("\x1b[1mNorthern\x1b[0m"),
        "{:?}",
        forced.stdout
    );
    assert!(!forced.stdout.contains("[Northern]"));

    let no_color = run_with(&root(), &search, &[("NO_COLOR", "1")]);
    assert_eq!(no_color.stdout, piped.stdout);
    // CSV and JSON are for programs: brackets even when colour is forced.
    let csv = run_with(
        &root(),
        &["search", "Northern", "--db", db, "--format", "csv"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(csv.stdout.contains("[Northern]") && !has_sgr(&csv.stdout));
}

/// Runs `check` on a pseudo-terminal (util-linux `script`) and returns what the terminal
/// showed.
fn on_a_terminal(colour: &[(&str, &str)]) -> String {
    let binary = env!("CARGO_BIN_EXE_claimgraph");
    let mut command = Command::new("script");
    command
        .current_dir(unknown_reference())
        .args(["--quiet", "--return", "--command"])
        .arg(format!("'{binary}' {}", CHECK.join(" ")))
        .arg("/dev/null")
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("CI");
    for (name, value) in colour {
        command.env(name, value);
    }
    let output = command
        .output()
        .expect("`script` (util-linux's bsdutils; .ci/run installs it) runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let shown = on_a_terminal(&[]);
    assert!(shown.contains("unknown-reference"), "{shown:?}");
    assert!(has_sgr(&shown), "{shown:?}");
    let shown = on_a_terminal(&[("NO_COLOR", "1")]);
    assert!(shown.contains("unknown-reference"), "{shown:?}");
    assert!(!has_sgr(&shown), "{shown:?}");
}

/// Every subcommand, as `claimgraph --help` lists them (but `help`).
fn subcommands() -> Vec<String> {
    let help = run(&root(), &["--help"]);
    assert_eq!(help.code, 0);
    let names: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 15, "{names:?}");
    names
}

/// A shell's completion script, written to a file in `dir`.
fn completion_script(shell: &str, dir: &Path, name: &str) -> std::path::PathBuf {
    let result = run(&root(), &["completions", shell]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let path = dir.join(name);
    std::fs::write(&path, &result.stdout).unwrap();
    path
}

/// Runs a shell command line; it must succeed. Returns stdout.
fn shell(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs ({e}); .ci/run installs it"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{program}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn bash_loads_the_completions_and_completes_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_script("bash", dir.path(), "claimgraph.bash");
    let out = shell(
        "bash",
        &[
            "-c",
            r#"source "$1"
complete -p claimgraph
COMP_WORDS=(claimgraph ex); COMP_CWORD=1; COMP_LINE="claimgraph ex"; COMP_POINT=${#COMP_LINE}
_claimgraph claimgraph ex claimgraph
printf 'reply %s\n' "${COMPREPLY[@]}""#,
            "bash",
            script.to_str().unwrap(),
        ],
    );
    assert!(
        out.contains("-F _claimgraph claimgraph"),
        "complete -p: {out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("reply "))
            .collect::<Vec<_>>(),
        ["reply export"],
        "{out}"
    );
}

#[test]
fn zsh_and_fish_load_their_completions() {
    let dir = tempfile::tempdir().unwrap();
    let zsh = completion_script("zsh", dir.path(), "_claimgraph");
    shell("zsh", &["-n", zsh.to_str().unwrap()]);
    // compinit finds the function on `fpath` and binds it to the command.
    let bound = shell(
        "zsh",
        &[
            "-f",
            "-c",
            r#"fpath=("$1" $fpath); autoload -U compinit; compinit -u -d "$1/zcompdump"; print -r -- "$_comps[claimgraph]""#,
            "zsh",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(bound.trim(), "_claimgraph");

    let fish = completion_script("fish", dir.path(), "claimgraph.fish");
    shell("fish", &["--no-execute", fish.to_str().unwrap()]);
    let completed = shell(
        "fish",
        &[
            "--no-config",
            "-c",
            "source $argv[1]; complete --do-complete 'claimgraph ex'",
            fish.to_str().unwrap(),
        ],
    );
    let names: Vec<&str> = completed
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(names, ["export"], "{completed}");
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&root(), &["completions", shell]);
        assert_eq!(script.code, 0, "{shell}: {}", script.stderr);
        for command in &commands {
            assert!(
                script.stdout.contains(command.as_str()),
                "{shell}: {command}"
            );
        }
    }
    let unknown = run(&root(), &["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
}

/// What `man` shows of a page, and its warnings (every groff warning on); none are allowed.
fn man_page(page: &Path) -> String {
    let output = Command::new("man")
        .args(["--warnings=w", "-l"])
        .arg(page)
        .env("MANWIDTH", "200")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .expect("man runs (man-db and groff-base; .ci/run installs them)");
    let warnings = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {warnings}", page.display());
    assert_eq!(warnings, "", "{} renders with warnings", page.display());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_manual_page_renders_and_names_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let page = run(&root(), &["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    let path = dir.path().join("claimgraph.1");
    std::fs::write(&path, &page.stdout).unwrap();
    let shown = man_page(&path);
    assert!(shown.contains("NAME"), "{shown}");
    for command in subcommands() {
        assert!(
            shown.contains(&format!("claimgraph-{command}(1)")),
            "`{command}` is not in the page:\n{shown}"
        );
    }

    // `--out DIR`: a page per command, each rendering cleanly with its options.
    let out = dir.path().join("pages");
    let written = run(&root(), &["man", "--out", out.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert_eq!(
        std::fs::read(out.join("claimgraph.1")).unwrap(),
        page.stdout.as_bytes()
    );
    for command in subcommands() {
        let shown = man_page(&out.join(format!("claimgraph-{command}.1")));
        assert!(shown.contains(&format!("claimgraph-{command}")), "{shown}");
    }
    let check = man_page(&out.join("claimgraph-check.1"));
    assert!(check.contains("--format"), "{check}");
}

#[test]
fn version_names_the_database_schema_that_build_writes() {
    let (_guard, db) = build_database(
        &fixtures().join("check/valid/data"),
        &fixtures().join("seeds"),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let schema: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    let version = run(&root(), &["--version"]);
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout,
        format!(
            "claimgraph {} (database schema {schema})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // schema.sql says the same on its first line.
    let sql = std::fs::read_to_string(root().join("schema.sql")).unwrap();
    assert!(
        sql.lines()
            .next()
            .unwrap()
            .contains(&format!("version {schema} ")),
        "{}",
        sql.lines().next().unwrap()
    );
}
