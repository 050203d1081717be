//! The local callback inbox as the app uses it: the on/off switch (a setting), its status and
//! URL, the URL a studio may prefill as `callBackUrl`, and one task's received payloads.
//!
//! Default: on when this run started its Sandbox, off otherwise; the user's switch, once
//! flipped, wins. Why on for the Sandbox: its music routes require a `callBackUrl` (as
//! upstream does), it delivers to loopback only, and with the inbox on the Music studio's first
//! run needs no server of one's own and shows callbacks arriving beside the polls. A remote
//! gateway cannot reach 127.0.0.1, so without a Sandbox a listening port would serve nothing.

use super::{ConnectionKind, Desk};
use crate::background::BackgroundWork;
use crate::error::DeskError;
use crate::tasks::inbox::CallbackRecord;
use serde::Serialize;
use ts_rs::TS;

/// The setting that holds the user's choice: `on` or `off`; absent means the default above.
const INBOX_KEY: &str = "callback_inbox";

/// What the Tasks page and the studios show of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxStatus {
    pub enabled: bool,
    /// `http://127.0.0.1:PORT/callbacks` while listening; a new port each start.
    pub url: Option<String>,
    /// The URL again when the active connection can reach it (the Sandbox, or a gateway on
    /// this machine): what the studios prefill as `callBackUrl`. `None` otherwise.
    pub prefill_url: Option<String>,
    /// Payloads recorded in all.
    pub received: u32,
    /// Why it is not listening although switched on (the port could not be opened).
    pub error: Option<String>,
}

impl Desk {
    /// Hands the inbox its loop owner and starts it if it is on. A port that cannot be opened
    /// is logged and shown in the status; the app runs on (polling finishes every task).
    pub fn start_callback_inbox(&self, work: &BackgroundWork) {
        self.inner.inbox.attach(work);
        match self.callback_inbox_enabled() {
            Ok(true) => {
                if let Err(e) = self.inner.inbox.start() {
                    tracing::error!("{e}");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::error!("callback inbox setting unreadable: {e}"),
        }
    }

    fn callback_inbox_enabled(&self) -> Result<bool, DeskError> {
        Ok(match self.inner.store.setting(INBOX_KEY)?.as_deref() {
            Some("on") => true,
            Some(_) => false,
            None => self.inner.sandbox.is_some(),
        })
    }

    pub fn callback_inbox_status(&self) -> Result<InboxStatus, DeskError> {
        let enabled = self.callback_inbox_enabled()?;
        let url = self.inner.inbox.url();
        let prefill_url = match &url {
            Some(url) if self.active_reaches_loopback()? => Some(url.clone()),
            _ => None,
        };
        let error = (enabled && url.is_none())
            .then(|| "switched on, but not listening: see the log for why".to_string());
        Ok(InboxStatus {
            enabled,
            url,
            prefill_url,
            received: self.inner.store.callback_count()?,
            error,
        })
    }

    /// Switches the inbox on or off and remembers the choice. Switching on reports a port
    /// that cannot be opened as an error (the choice is still kept).
    pub fn set_callback_inbox(&self, enabled: bool) -> Result<InboxStatus, DeskError> {
        self.inner
            .store
            .set_setting(INBOX_KEY, if enabled { "on" } else { "off" })?;
        if enabled {
            self.inner.inbox.start()?;
        } else {
            self.inner.inbox.stop();
        }
        self.callback_inbox_status()
    }

    /// The inbox URL a studio prefills as `callBackUrl`, when it is on and the active
    /// connection can reach it.
    pub fn callback_inbox_url(&self) -> Result<Option<String>, DeskError> {
        Ok(self.callback_inbox_status()?.prefill_url)
    }

    /// The payloads received for a task, oldest first.
    pub fn task_callbacks(&self, task_id: &str) -> Result<Vec<CallbackRecord>, DeskError> {
        self.inner.tasks.task(task_id)?;
        Ok(self.inner.store.task_callbacks(task_id)?)
    }

    /// The Sandbox, or a connection whose gateway is on this machine.
    fn active_reaches_loopback(&self) -> Result<bool, DeskError> {
        let active = self.active()?;
        if active.kind == ConnectionKind::Sandbox {
            return Ok(self.inner.sandbox.is_some());
        }
        let host = url::Url::parse(&active.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        Ok(matches!(
            host.as_deref(),
            Some("localhost" | "127.0.0.1" | "[::1]")
        ))
    }
}
