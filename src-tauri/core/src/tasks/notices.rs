//! Exactly one notification per finished task, across a kill.
//!
//! The owed notification is durable from the moment the task finishes: the terminal state and
//! an empty `notified_at` are written by the one transition (`state::transition`, a single
//! UPDATE), so there is no moment where a task is finished but its notification is not owed.
//! Showing then goes: **claim** (in this process, so overlapping transitions and the start-up
//! sweep show it once), **show**, **mark shown** (`notified_at`, durable). A kill before the
//! mark leaves it owed, and the next start shows it once; the only repeat possible is a kill in
//! the instant between showing and marking, which is the right side to err on: a lost "your
//! paid video is ready" costs more than a second one.

use super::center::TaskCenter;
use crate::error::DeskError;
use std::collections::HashSet;
use std::sync::Mutex;

/// Tasks whose notification this process is showing right now.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    showing: Mutex<HashSet<String>>,
}

impl Claims {
    fn claim(&self, id: &str) -> bool {
        self.lock().insert(id.to_owned())
    }

    pub(crate) fn release(&self, id: &str) {
        self.lock().remove(id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.showing.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl TaskCenter {
    /// True when the caller should show the task's notification now: it is owed (terminal, not
    /// marked shown) and no one in this process is showing it. Mark it with `mark_notified`
    /// once shown, or `release_notice` if showing failed (it stays owed).
    pub fn claim_notice(&self, id: &str) -> Result<bool, DeskError> {
        // Claim first, then check: a claim taken after another shower marked it sees it
        // marked, so no interleaving shows it twice.
        if !self.notices.claim(id) {
            return Ok(false);
        }
        match self.store().task_notice_owed(id) {
            Ok(true) => Ok(true),
            other => {
                self.notices.release(id);
                Ok(other?)
            }
        }
    }

    /// Showing failed: the notification stays owed, for a later sweep or the next start.
    pub fn release_notice(&self, id: &str) {
        self.notices.release(id);
    }
}
