//! The command table as data, and what follows from it on the TypeScript side: the typed
//! wrappers and `Commands` map (`ui/src/ipc/bindings/commands.ts`), every ts-rs type the
//! commands reach (`ui/src/ipc/bindings/<Type>.ts`) and the error codes by name
//! (`errorCodes.ts`). The tests below fail on any drift between the table, those files and
//! `capabilities/default.json`; `UPDATE_BINDINGS=1 cargo test -p anyint-desk` rewrites the
//! generated files.

use std::collections::BTreeSet;
use std::path::Path;
use ts_rs::{TypeVisitor, TS};

/// One command of the table.
pub struct CommandSpec {
    pub name: &'static str,
    /// The table line's `///` comment, carried into the wrapper's JSDoc.
    pub doc: &'static [&'static str],
    /// Whether its last argument is an event channel.
    pub streams: bool,
    pub args: Vec<ArgSpec>,
    pub result: TsType,
}

/// One argument, named as the window sends it (Tauri camel-cases Rust parameter names).
pub struct ArgSpec {
    pub name: String,
    pub ty: TsType,
}

/// A Rust type as TypeScript sees it: its TS spelling, the named types it mentions (to
/// import), and a way to export those named types with everything they depend on.
pub struct TsType {
    pub ts: String,
    pub imports: BTreeSet<String>,
    export: fn(&Path) -> Result<(), ts_rs::ExportError>,
}

impl CommandSpec {
    pub fn new<R: TS + 'static>(
        name: &'static str,
        doc: &'static [&'static str],
        args: Vec<ArgSpec>,
    ) -> Self {
        Self {
            name,
            doc,
            streams: false,
            args,
            result: TsType::of::<R>(),
        }
    }

    /// Adds the `onEvent` channel a streaming command sends its events over (last argument).
    pub fn streams<E: TS + 'static>(mut self) -> Self {
        let event = TsType::of::<E>();
        self.args.push(ArgSpec {
            name: "onEvent".to_owned(),
            ty: TsType {
                ts: format!("Channel<{}>", event.ts),
                imports: event.imports,
                export: event.export,
            },
        });
        self.streams = true;
        self
    }

    /// The capability permission tauri-build derives for the command.
    pub fn permission(&self) -> String {
        format!("allow-{}", self.name.replace('_', "-"))
    }
}

impl ArgSpec {
    pub fn new<T: TS + 'static>(rust_name: &str) -> Self {
        Self {
            name: camel_case(rust_name),
            ty: TsType::of::<T>(),
        }
    }
}

impl TsType {
    pub fn of<T: TS + 'static>() -> Self {
        Self {
            ts: T::name(),
            imports: named_types::<T>(),
            export: export_named::<T>,
        }
    }

    /// Writes every named type this one mentions, and their dependencies, into `dir`.
    pub fn export_into(&self, dir: &Path) -> Result<(), ts_rs::ExportError> {
        (self.export)(dir)
    }
}

/// The named (exported) types in `T`'s TS spelling: `T` itself, or the type arguments of a
/// `Vec`/`Option`, recursively.
fn named_types<T: TS + 'static>() -> BTreeSet<String> {
    struct Names(BTreeSet<String>);
    impl TypeVisitor for Names {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if U::output_path().is_some() {
                self.0.insert(U::ident());
            }
        }
    }
    let mut names = Names(BTreeSet::new());
    names.visit::<T>();
    T::visit_generics(&mut names);
    names.0
}

fn export_named<T: TS + 'static>(dir: &Path) -> Result<(), ts_rs::ExportError> {
    struct Export<'a>(&'a Path, Result<(), ts_rs::ExportError>);
    impl TypeVisitor for Export<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if self.1.is_ok() && U::output_path().is_some() {
                self.1 = U::export_all_to(self.0);
            }
        }
    }
    let mut export = Export(dir, Ok(()));
    export.visit::<T>();
    T::visit_generics(&mut export);
    export.1
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

const HEADER: &str =
    "// Generated from src-tauri/src/commands/table.rs by src-tauri/src/commands/contract.rs.\n\
// Do not edit: `UPDATE_BINDINGS=1 cargo test -p anyint-desk` rewrites it.\n";

/// `commands.ts`: the `Commands` map (what the test double is typed against) and one typed
/// wrapper per command, named after it in camelCase.
pub fn commands_ts(table: &[CommandSpec]) -> String {
    let mut imports = BTreeSet::new();
    for c in table {
        imports.extend(c.result.imports.iter().cloned());
        for a in &c.args {
            imports.extend(a.ty.imports.iter().cloned());
        }
    }
    let mut out = String::from(HEADER);
    if table.iter().any(|c| c.streams) {
        out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    }
    out.push_str("import { call } from \"../call\";\n");
    for name in &imports {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str(
        "\n/** Every command the window may call: its arguments as sent, and what it resolves with. */\n\
         export interface Commands {\n",
    );
    for c in table {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            let fields: Vec<String> = c
                .args
                .iter()
                .map(|a| format!("{}: {}", a.name, a.ty.ts))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }};\n",
            c.name, c.result.ts
        ));
    }
    out.push_str("}\n\nexport type CommandName = keyof Commands;\n");
    for c in table {
        let params: Vec<String> = c
            .args
            .iter()
            .map(|a| format!("{}: {}", a.name, a.ty.ts))
            .collect();
        let names: Vec<&str> = c.args.iter().map(|a| a.name.as_str()).collect();
        out.push('\n');
        if !c.doc.is_empty() {
            out.push_str("/**\n");
            for line in c.doc {
                out.push_str(&format!(" *{}\n", line.trim_end()));
            }
            out.push_str(" */\n");
        }
        out.push_str(&format!(
            "export function {}({}): Promise<{}> {{\n  return call(\"{}\", {{ {} }});\n}}\n",
            camel_case(c.name),
            params.join(", "),
            c.result.ts,
            c.name,
            names.join(", ")
        ));
    }
    out.replace("{  }", "{}")
}

/// `errorCodes.ts`: every `ErrorCode` by its Rust name, so the UI compares codes with
/// `ErrorCodes.KeychainUnavailable` and a removed code is a type error, never a dead string.
pub fn error_codes_ts() -> String {
    use anyint_core::ErrorCode;
    let mut out = String::from(HEADER);
    out.push_str("import type { ErrorCode } from \"./ErrorCode\";\n\n");
    out.push_str("export const ErrorCodes = {\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!("  {}: \"{}\",\n", code.name(), code.as_str()));
    }
    out.push_str("} as const satisfies Record<string, ErrorCode>;\n");
    out
}

/// Every generated file under `ui/src/ipc/bindings/`, by file name.
pub fn generated_files(table: &[CommandSpec]) -> Result<Vec<(String, String)>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    // Not command results, and still part of the contract: the error body every command may
    // reject with, and the first screen's data the window hands the page (window.rs).
    let extra = [
        TsType::of::<anyint_core::ErrorBody>(),
        TsType::of::<anyint_core::FirstScreen>(),
    ];
    for ty in table
        .iter()
        .flat_map(|c| std::iter::once(&c.result).chain(c.args.iter().map(|a| &a.ty)))
        .chain(extra.iter())
    {
        ty.export_into(dir.path()).map_err(|e| e.to_string())?;
    }
    let mut files = vec![
        ("commands.ts".to_owned(), commands_ts(table)),
        ("errorCodes.ts".to_owned(), error_codes_ts()),
    ];
    for entry in std::fs::read_dir(dir.path()).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, text));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
