//! What `check` and `build` show while the pipeline runs: on a terminal, a spinner that names
//! the stage it is in and the time so far (when stderr is a log, a pipe or CI, nothing at
//! all); the diagnostics once checking is done; and the `--timings` lines at the end.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::diagnostic::{Diagnostics, Files};
use crate::pipeline::{Observer, StageTime};

#[derive(Debug)]
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn start() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("the template is valid"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar }
    }

    /// Names the stage now running.
    fn stage(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
        }
    }

    /// Removes the spinner, so that what is printed next starts on a clean line.
    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// What a command shows of a running pipeline: on a terminal, the stage it is in; when checking
/// is done, the diagnostics (at most `max_errors`, 0 for all), on a clean line.
#[derive(Debug)]
pub struct Screen {
    progress: Option<Progress>,
    max_errors: usize,
}

impl Screen {
    pub fn new(max_errors: usize) -> Screen {
        Screen {
            progress: None,
            max_errors,
        }
    }

    /// Removes the spinner, so that what is printed next starts on a clean line.
    pub fn clear(&mut self) {
        self.progress = None;
    }
}

impl Observer for Screen {
    fn stage(&mut self, name: &'static str) {
        self.progress
            .get_or_insert_with(Progress::start)
            .stage(name);
    }

    fn checked(&mut self, files: &Files, diagnostics: Diagnostics) {
        self.clear();
        super::report(files, diagnostics, self.max_errors);
    }

    fn full_build(&mut self, why: &crate::pipeline::FullBuild) {
        self.clear();
        say!("full build: {why}");
    }
}

/// The `--timings` lines: one per stage, in the order they ran, each with its duration.
pub fn timing_lines(stages: &[StageTime]) -> Vec<String> {
    let width = stages.iter().map(|s| s.name.len()).max().unwrap_or(0);
    stages
        .iter()
        .map(|StageTime { name, took }| format!("  {name:<width$}  {:>8.3} s", took.as_secs_f64()))
        .collect()
}
