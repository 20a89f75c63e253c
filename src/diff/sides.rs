//! The two sides `diff` compares: a built database, a git revision of the repository (its
//! data and seeds checked and built in a temporary folder, the working tree untouched), or the
//! data and seeds folders as they are now.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostic::{Diagnostics, Files};
use crate::pipeline::{self, BuildOptions, Observer, Outcome};
use crate::store::{self, StoreError};

use super::snapshot::Snapshot;

/// What one side of a comparison is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A database `claimgraph build` wrote.
    Database(PathBuf),
    /// A revision of the git repository the data folder is in (`main`, `HEAD~3`, a hash).
    Revision(String),
    /// The data and seeds folders as they are.
    WorkingTree,
}

impl Side {
    /// A path naming a file is a database; anything else, a git revision.
    pub fn parse(arg: &str) -> Side {
        if Path::new(arg).is_file() {
            Side::Database(PathBuf::from(arg))
        } else {
            Side::Revision(arg.to_owned())
        }
    }

    /// The side in a few words, for the report's heading.
    pub fn describe(&self) -> String {
        match self {
            Side::Database(path) => path.display().to_string(),
            Side::Revision(rev) => format!("revision {rev}"),
            Side::WorkingTree => "the working tree".to_owned(),
        }
    }
}

/// Why a side could not be read (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("`{0}` is neither a database file nor a revision of a git repository here: {1}")]
    NotARevision(String, String),
    #[error("git {0}")]
    Git(String),
    #[error("{what}: {source}")]
    Io { what: String, source: io::Error },
    #[error("the data of {0} has errors ({1}); run `claimgraph check` on it")]
    DataErrors(String, String),
    #[error("building {0} failed: {1}")]
    Build(String, String),
}

/// Where the data and seeds folders are.
#[derive(Debug, Clone, Copy)]
pub struct Folders<'a> {
    pub data: &'a Path,
    pub seeds: &'a Path,
}

/// Reads one side; a revision or the working tree is built into `scratch` first. Also gives
/// the database read, which lives as long as `scratch` does, for what is read only when it
/// changed (a document's text).
pub fn read(
    side: &Side,
    folders: Folders<'_>,
    scratch: &Path,
) -> Result<(Snapshot, PathBuf), SideError> {
    let db = match side {
        Side::Database(path) => path.clone(),
        Side::WorkingTree => build(folders.data, folders.seeds, scratch, &side.describe())?,
        Side::Revision(rev) => {
            let tree = scratch.join("tree");
            let data = tree.join("data");
            let seeds = tree.join("seeds");
            extract(rev, folders.data, &data)?;
            extract(rev, folders.seeds, &seeds)?;
            build(&data, &seeds, scratch, &side.describe())?
        }
    };
    let conn = store::open_read(&db)?;
    Ok((Snapshot::read(&conn)?, db))
}

/// Stages are not shown; data errors are counted.
#[derive(Default)]
struct Quiet {
    errors: usize,
    first: Option<String>,
}

impl Observer for Quiet {
    fn stage(&mut self, _name: &'static str) {}

    fn checked(&mut self, files: &Files, diagnostics: Diagnostics) {
        self.errors = diagnostics.error_count();
        self.first = diagnostics
            .sorted(files)
            .into_iter()
            .find(|d| d.severity == crate::diagnostic::Severity::Error)
            .map(|d| {
                let (path, line, column) = d.position(files);
                format!("first: {path}:{line}:{column}: {}", d.message)
            });
    }
}

fn build(data: &Path, seeds: &Path, scratch: &Path, what: &str) -> Result<PathBuf, SideError> {
    let db = scratch.join("claimgraph.sqlite");
    let options = BuildOptions {
        data,
        seeds,
        db: &db,
        exports: None,
        force: false,
        verify: false,
        full: true,
    };
    let mut quiet = Quiet::default();
    match pipeline::build(&options, &mut quiet) {
        Ok(Outcome::Built(_) | Outcome::UpToDate(_)) => Ok(db),
        Ok(Outcome::DataErrors) => Err(SideError::DataErrors(
            what.to_owned(),
            format!(
                "{} error{}; {}",
                quiet.errors,
                if quiet.errors == 1 { "" } else { "s" },
                quiet.first.unwrap_or_default()
            ),
        )),
        Ok(Outcome::Unverified(_) | Outcome::UpToDateUnverified(_)) => Err(SideError::Build(
            what.to_owned(),
            "it was not verified".to_owned(),
        )),
        Err(e) => Err(SideError::Build(what.to_owned(), e.to_string())),
    }
}

/// Runs git in the folder `dir`; its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, SideError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| SideError::Git(format!("could not run: {e} (is git installed?)")))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = match stderr.trim() {
            "" => output.status.to_string(),
            said => said.to_owned(),
        };
        Err(SideError::Git(format!("{}: {why}", args.join(" "))))
    }
}

/// Writes the folder `folder` (of the working tree) as it is at `rev` into `to`.
fn extract(rev: &str, folder: &Path, to: &Path) -> Result<(), SideError> {
    let absolute = std::path::absolute(folder).map_err(|source| SideError::Io {
        what: format!("the folder {}", folder.display()),
        source,
    })?;
    // The folder's parent exists in the working tree even when the folder itself does not.
    let parent = absolute.parent().unwrap_or(&absolute);
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let commit = format!("{rev}^{{commit}}");
    // `--end-of-options`: a name that starts with `-` is a name, never an option of git's.
    let found = Command::new("git")
        .arg("-C")
        .arg(parent)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| SideError::Git(format!("could not run: {e} (is git installed?)")))?;
    if !found.status.success() {
        // `--quiet` keeps git silent when the name is simply no commit; it still says why when
        // the folder is not in a repository at all.
        let why = String::from_utf8_lossy(&found.stderr).trim().to_owned();
        let why = if why.is_empty() {
            "git knows no commit by that name".to_owned()
        } else {
            why
        };
        return Err(SideError::NotARevision(rev.to_owned(), why));
    }
    let prefix = String::from_utf8_lossy(&git(parent, &["rev-parse", "--show-prefix"])?)
        .trim()
        .to_owned();
    // The commit as git resolved it, by its hash: what `archive` is given is never read as
    // an option.
    let hash = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    let tree = format!("{hash}:{prefix}{name}");
    let archive = git(parent, &["archive", "--format=tar", &tree]).map_err(|e| match e {
        SideError::Git(why) => {
            SideError::Git(format!("has no folder `{prefix}{name}` at {rev} ({why})"))
        }
        other => other,
    })?;
    std::fs::create_dir_all(to).map_err(|source| SideError::Io {
        what: format!("creating {}", to.display()),
        source,
    })?;
    tar::Archive::new(archive.as_slice())
        .unpack(to)
        .map_err(|source| SideError::Io {
            what: format!("unpacking {rev}'s {name}"),
            source,
        })
}
