use crate::error::IpcError;
use anyint_core::{Connection, Desk, NewConnection};
use tauri::State;

#[tauri::command]
pub fn connections_list(desk: State<'_, Desk>) -> Result<Vec<Connection>, IpcError> {
    Ok(desk.connections()?)
}

#[tauri::command]
pub fn connection_add(desk: State<'_, Desk>, input: NewConnection) -> Result<Connection, IpcError> {
    Ok(desk.add_connection(input)?)
}

#[tauri::command]
pub fn connection_activate(desk: State<'_, Desk>, id: String) -> Result<Connection, IpcError> {
    Ok(desk.activate(&id)?)
}
