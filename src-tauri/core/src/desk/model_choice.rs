//! Model choice as the app uses it (issue 11): workloads (kept, exported, imported), playground
//! runs under a workload with its explicit fallback, the dry run, the fallback log, the usage
//! ledger's totals and CSV, and the price table.

use super::Desk;
use crate::error::DeskError;
use crate::fallback::{
    self, Decision, DryRunInput, ExportFormat, RunOptions, Workload, WorkloadRun,
};
use crate::gateway::GatewayClient;
use crate::ledger::{self, GroupBy, Price, UsageEntry, UsageTotal};
use crate::playground::{PlaygroundEvent, PlaygroundRequest, RunSummary};
use crate::store::FallbackLogRow;

/// The most ledger rows one CSV export holds (a year of heavy playground use is far below).
const CSV_ROWS: u32 = 1_000_000;

impl Desk {
    pub fn workloads(&self) -> Result<Vec<Workload>, DeskError> {
        Ok(self.inner.store.workloads()?)
    }

    pub fn workload(&self, name: &str) -> Result<Workload, DeskError> {
        self.inner
            .store
            .workload(name)?
            .ok_or_else(|| DeskError::NotFound(format!("no workload `{name}`")))
    }

    /// Creates or replaces a workload by name, once it is valid.
    pub fn save_workload(&self, w: Workload) -> Result<Workload, DeskError> {
        w.validate()
            .map_err(|e| DeskError::InvalidInput(e.to_string()))?;
        self.inner.store.upsert_workload(&w, &super::now())?;
        Ok(w)
    }

    pub fn delete_workload(&self, name: &str) -> Result<bool, DeskError> {
        Ok(self.inner.store.delete_workload(name)?)
    }

    pub fn export_workloads(&self, format: ExportFormat) -> Result<String, DeskError> {
        fallback::export(&self.workloads()?, format).map_err(DeskError::InvalidInput)
    }

    /// Imports a file whole or not at all; same-named workloads are replaced.
    pub fn import_workloads(
        &self,
        text: &str,
        format: ExportFormat,
    ) -> Result<Vec<Workload>, DeskError> {
        let all = fallback::import(text, format).map_err(DeskError::InvalidInput)?;
        self.inner.store.upsert_workloads(&all, &super::now())?;
        Ok(all)
    }

    /// What the workload's policy would do for an error or a sandbox fault, step by step.
    pub fn dry_run_workload(
        &self,
        name: &str,
        input: &DryRunInput,
        consent: bool,
    ) -> Result<Vec<Decision>, DeskError> {
        fallback::dry_run(&self.workload(name)?, input, consent).map_err(DeskError::InvalidInput)
    }

    pub fn fallback_log(&self, limit: u32) -> Result<Vec<FallbackLogRow>, DeskError> {
        Ok(self.inner.store.fallback_log(limit)?)
    }

    /// A playground send under workload `name`: its primary answers, or its fallback when
    /// the policy allows; stoppable by `req.run_id` like any run; the answer stored as a turn.
    pub async fn playground_send_workload<F>(
        &self,
        req: PlaygroundRequest,
        name: &str,
        mut options: RunOptions,
        mut emit: F,
    ) -> Result<WorkloadRun, DeskError>
    where
        F: FnMut(PlaygroundEvent) + Send,
    {
        let workload = self.workload(name)?;
        let active = self.active()?;
        if options.rehearse_fault.is_some() && active.kind != super::ConnectionKind::Sandbox {
            return Err(DeskError::InvalidInput(
                "a fault rehearsal runs against the Sandbox connection only".into(),
            ));
        }
        options.connection_id = Some(active.id.clone());
        let client = self.client(&active.id)?;
        let stop = self.register_stop(&req.run_id)?;
        let store = &self.inner.store;
        let ran = fallback::run(
            &client,
            Some(store),
            &workload,
            &req,
            &options,
            stop,
            &mut emit,
        )
        .await;
        self.inner.runs.lock().remove(&req.run_id);
        let mut run = ran.map_err(DeskError::InvalidInput)?;
        // The history keeps the body the answering model was sent.
        let answered = fallback::for_model(&req, &run.summary.model);
        self.store_turn(&answered, &mut run.summary);
        emit(PlaygroundEvent::Done {
            summary: Box::new(run.summary.clone()),
        });
        Ok(run)
    }

    /// Appends a plain playground run to the ledger (a workload run records its own attempts).
    pub(super) fn record_usage(&self, connection_id: &str, client: &GatewayClient, s: &RunSummary) {
        let mut entry = UsageEntry::of_run(s, super::now(), Some(client.key_fingerprint()));
        entry.connection_id = Some(connection_id.to_owned());
        if let Err(e) = self.inner.store.insert_usage(&entry) {
            tracing::error!("could not record usage: {e}");
        }
    }

    /// Counts a created task in the ledger, in the units its price uses. Created means the
    /// gateway took it: it has a gateway id, or it answered at once with a result (OpenAI
    /// images). A create that was refused or not answered is not counted. A ledger failure is
    /// logged; the task itself is unaffected.
    pub(super) fn record_task_usage(
        &self,
        row: &crate::tasks::view::TaskRow,
        body: &serde_json::Value,
        fingerprint: String,
    ) {
        use crate::tasks::TaskState;
        let answered_at_once = !matches!(row.state, TaskState::Submitting | TaskState::Failed);
        if row.gateway_task_id.is_none() && !answered_at_once {
            return;
        }
        let units = ledger::units_of(&row.route, body);
        if units.is_empty() {
            return;
        }
        let entry = ledger::TaskUsageEntry {
            at: row.created_at.clone(),
            task_id: row.id.clone(),
            route: row.route.clone(),
            model: row.model.clone().unwrap_or_else(|| row.route.clone()),
            connection_id: Some(row.connection_id.clone()),
            key_fingerprint: Some(fingerprint),
            units,
        };
        if let Err(e) = self.inner.store.insert_task_usage(&entry) {
            tracing::error!("could not record the task's usage: {e}");
        }
    }

    pub fn usage_totals(&self, by: GroupBy) -> Result<Vec<UsageTotal>, DeskError> {
        let slices = self.inner.store.usage_slices(by)?;
        let prices = self.inner.store.prices()?;
        let mut totals = ledger::totals(&slices, &prices);
        ledger::add_tasks(
            &mut totals,
            &self.inner.store.task_usage_slices(by)?,
            &prices,
        );
        Ok(totals)
    }

    pub fn usage_csv(&self) -> Result<String, DeskError> {
        let store = &self.inner.store;
        Ok(ledger::to_csv(
            &store.usage_rows(CSV_ROWS)?,
            &store.task_usage_rows(CSV_ROWS)?,
        ))
    }

    pub fn prices(&self) -> Result<Vec<Price>, DeskError> {
        Ok(self.inner.store.prices()?)
    }

    pub fn save_price(&self, p: Price) -> Result<Price, DeskError> {
        p.validate().map_err(DeskError::InvalidInput)?;
        self.inner.store.upsert_price(&p, &super::now())?;
        Ok(p)
    }

    pub fn delete_price(&self, model: &str) -> Result<bool, DeskError> {
        Ok(self.inner.store.delete_price(model)?)
    }
}
