//! `claimgraph diff`: what changed between two versions of the data, as an analyst reads it:
//! records added, removed and changed by their stable ids, and what that did to the analysis.

pub mod compare;
pub mod sides;
pub mod snapshot;

pub use compare::{Changes, compare};
pub use sides::{Folders, Side, SideError};
pub use snapshot::Snapshot;
