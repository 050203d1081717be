use super::Ctx;
use crate::error::IpcError;
use anyint_core::keys::Environment;
use anyint_core::{Connection, NewConnection};

pub fn list(ctx: &Ctx) -> Result<Vec<Connection>, IpcError> {
    Ok(ctx.desk.connections()?)
}

pub fn add(ctx: &Ctx, input: NewConnection) -> Result<Connection, IpcError> {
    Ok(ctx.desk.add_connection(input)?)
}

pub fn update(ctx: &Ctx, id: String, input: NewConnection) -> Result<Connection, IpcError> {
    Ok(ctx.desk.update_connection(&id, input)?)
}

pub fn activate(ctx: &Ctx, id: String) -> Result<Connection, IpcError> {
    Ok(ctx.desk.activate(&id)?)
}

pub fn set_environment(
    ctx: &Ctx,
    id: String,
    environment: Environment,
) -> Result<Connection, IpcError> {
    Ok(ctx.desk.set_environment(&id, environment)?)
}
