//! Compare and the advisor as the app uses them: saved comparisons (list, read, keep,
//! delete), the comparison's run on the active connection, evaluation sets, past advice.

use super::Desk;
use crate::advisor::{self, Advice, EvalSet, EvalSetFormat};
use crate::compare::{
    self, ColumnStops, CompareContext, CompareEvent, CompareRequest, Comparison, ComparisonSummary,
};
use crate::error::DeskError;
use futures::FutureExt;
use tokio::sync::oneshot;

/// The most past advice the list returns (each holds its whole evidence table).
const ADVICE_SHOWN: u32 = 200;

impl Desk {
    pub fn comparisons(&self) -> Result<Vec<ComparisonSummary>, DeskError> {
        Ok(self.inner.store.comparisons()?)
    }

    pub fn comparison(&self, id: &str) -> Result<Comparison, DeskError> {
        self.inner
            .store
            .comparison(id)?
            .ok_or_else(|| DeskError::NotFound(format!("no comparison `{id}`")))
    }

    /// Marks column `column` of comparison `id` acceptable (or not); the comparison as saved.
    pub fn comparison_keep(
        &self,
        id: &str,
        column: u32,
        kept: bool,
    ) -> Result<Comparison, DeskError> {
        let c = self.comparison(id)?;
        if !self.inner.store.set_column_kept(id, column, kept)? {
            return Err(DeskError::NotFound(format!(
                "comparison `{id}` has {} columns; there is no column {column}",
                c.columns.len()
            )));
        }
        self.comparison(id)
    }

    pub fn comparison_delete(&self, id: &str) -> Result<bool, DeskError> {
        Ok(self.inner.store.delete_comparison(id)?)
    }

    pub fn evalset_parse(&self, text: &str, format: EvalSetFormat) -> Result<EvalSet, DeskError> {
        advisor::parse_evalset(text, format).map_err(DeskError::InvalidInput)
    }

    /// Past advice, newest first.
    pub fn advice_list(&self) -> Result<Vec<Advice>, DeskError> {
        Ok(self.inner.store.advice_list(ADVICE_SHOWN)?)
    }
}

impl Desk {
    /// Runs a comparison on the active connection and saves it with its request. Fails only
    /// when nothing could be sent (bad request, no key, unknown workload); a column that
    /// fails is a failed column.
    pub async fn compare_run<F>(
        &self,
        request: CompareRequest,
        emit: F,
    ) -> Result<Comparison, DeskError>
    where
        F: FnMut(CompareEvent) + Send,
    {
        request.validate().map_err(DeskError::InvalidInput)?;
        if self.inner.store.comparison(&request.compare_id)?.is_some() {
            return Err(DeskError::InvalidInput(format!(
                "comparison `{}` exists; a re-run takes a new id",
                request.compare_id
            )));
        }
        let workload = match &request.workload {
            Some(name) => Some(self.workload(name)?),
            None => None,
        };
        let active = self.active()?;
        let rehearses = request.targets.iter().any(|t| t.rehearse_fault.is_some());
        if rehearses && active.kind != super::ConnectionKind::Sandbox {
            return Err(DeskError::InvalidInput(
                "a fault rehearsal runs against the Sandbox connection only".into(),
            ));
        }
        let client = self.client(&active.id)?;
        let prices = self.inner.store.prices()?;
        let idle = self.stream_idle_ms()?;
        let key = format!("compare:{}", request.compare_id);
        let stop = self.register_stop(&key)?;
        let ctx = CompareContext {
            client: &client,
            store: Some(&self.inner.store),
            prices: &prices,
            workload: workload.as_ref(),
            connection_id: Some(active.id.clone()),
            idle_timeout_ms: Some(idle),
        };
        let columns = compare::run(&ctx, &request, stop, emit).await;
        self.inner.runs.lock().remove(&key);
        let comparison = Comparison {
            id: request.compare_id.clone(),
            title: request.title_or_prompt(),
            created_at: super::now(),
            request,
            columns,
        };
        // The answers on screen are not lost to a full disk: the comparison still resolves.
        if let Err(e) = self.inner.store.insert_comparison(&comparison) {
            tracing::error!("could not save the comparison: {e}");
        }
        Ok(comparison)
    }

    pub fn compare_stop(&self, compare_id: &str) -> bool {
        self.playground_stop(&format!("compare:{compare_id}"))
    }

    /// Registers a stoppable run under `key` (a playground run id, or a compare or advisor id
    /// prefixed so it never meets one); the future resolves on Stop (or when the registry drops
    /// the sender, the app shutting down), shared by every request of the run.
    pub(super) fn register_stop(&self, key: &str) -> Result<ColumnStops, DeskError> {
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let mut runs = self.inner.runs.lock();
        if runs.contains_key(key) {
            return Err(DeskError::InvalidInput(format!(
                "a run with id `{key}` is already going"
            )));
        }
        runs.insert(key.to_owned(), stop_tx);
        let stop: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> =
            Box::pin(async move {
                let _ = stop_rx.await;
            });
        Ok(stop.shared())
    }
}

impl Desk {
    /// Runs the advisor on the active connection and stores its advice. The workload is read,
    /// never written: making the pick the primary is the user's `save_workload`.
    pub async fn advise_run<F>(
        &self,
        request: advisor::AdviseRequest,
        emit: F,
    ) -> Result<Advice, DeskError>
    where
        F: FnMut(advisor::AdviseEvent) + Send,
    {
        request.validate().map_err(DeskError::InvalidInput)?;
        if self.inner.store.has_advice(&request.advise_id)? {
            return Err(DeskError::InvalidInput(format!(
                "advice `{}` exists; a new run takes a new id",
                request.advise_id
            )));
        }
        let workload = self.workload(&request.workload)?;
        let active = self.active()?;
        let client = self.client(&active.id)?;
        let prices = self.inner.store.prices()?;
        let idle = self.stream_idle_ms()?;
        let key = format!("advise:{}", request.advise_id);
        let stop = self.register_stop(&key)?;
        let ctx = advisor::AdviseContext {
            client: &client,
            store: Some(&self.inner.store),
            prices: &prices,
            workload: &workload,
            connection_id: Some(active.id.clone()),
            idle_timeout_ms: Some(idle),
            max_tokens: None,
        };
        let advice = advisor::run(&ctx, &request, stop, emit).await;
        self.inner.runs.lock().remove(&key);
        if let Err(e) = self.inner.store.insert_advice(&advice) {
            tracing::error!("could not store the advice: {e}");
        }
        Ok(advice)
    }

    pub fn advise_stop(&self, advise_id: &str) -> bool {
        self.playground_stop(&format!("advise:{advise_id}"))
    }
}
