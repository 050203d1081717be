//! Commands: one file per feature, each command a few lines into `anyint_core::Desk`.

pub mod connections;
pub mod keys;
pub mod models;
