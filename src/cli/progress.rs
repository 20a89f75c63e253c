//! Progress for long work: on a terminal, a spinner that names the stage a command is in and
//! the time so far; when stderr is a log, a pipe or CI, nothing at all.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn start() -> Progress {
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
    pub fn stage(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
        }
    }

    /// Removes the spinner, so that what is printed next starts on a clean line.
    pub fn clear(&self) {
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

/// How long each stage of a command took, for `--timings`.
#[derive(Debug, Default)]
pub struct Timings {
    stages: RefCell<Vec<(String, Instant)>>,
}

impl Timings {
    /// Marks the start of a stage, which is also the end of the one before.
    pub fn stage(&self, name: &str) {
        self.stages
            .borrow_mut()
            .push((name.to_owned(), Instant::now()));
    }

    /// One line per stage, in the order they ran, each with its duration up to `end`.
    pub fn report(&self, end: Instant) -> Vec<String> {
        let stages = self.stages.borrow();
        let width = stages.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        stages
            .iter()
            .enumerate()
            .map(|(i, (name, start))| {
                let until = stages.get(i + 1).map_or(end, |(_, next)| *next);
                let seconds = until.duration_since(*start).as_secs_f64();
                format!("  {name:<width$}  {seconds:>8.3} s")
            })
            .collect()
    }
}
