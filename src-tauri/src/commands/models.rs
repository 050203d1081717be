use crate::error::IpcError;
use anyint_core::{Desk, ModelsView};
use tauri::State;

#[tauri::command]
pub async fn models_list(desk: State<'_, Desk>, refresh: bool) -> Result<ModelsView, IpcError> {
    Ok(desk.models(refresh).await?)
}
