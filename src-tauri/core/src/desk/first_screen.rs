//! What the window's first screen shows, read from the store alone: no network and no keychain,
//! so the adapter can read it before it opens the window and hand it to the page with its
//! scripts. The page then paints the Models screen with its data in its first frame, instead of
//! after a round of commands (README, Benchmarks: first screen interactive).

use super::{Connection, Desk, ModelsView};
use crate::error::DeskError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FirstScreen {
    /// What `connections_list` answers.
    pub connections: Vec<Connection>,
    /// What `models_list(false)` answers when it needs no gateway: the active connection's
    /// cached models. `None` before their first fetch, and the page asks for them.
    pub models: Option<ModelsView>,
}

impl Desk {
    pub fn first_screen(&self) -> Result<FirstScreen, DeskError> {
        let active = self.active()?;
        Ok(FirstScreen {
            connections: self.connections()?,
            models: self.cached_models_view(active.id)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::keys::testing::MemoryKeychain;
    use crate::keys::ApiKey;
    use crate::models::ModelInfo;
    use crate::store::Store;
    use crate::{Desk, SandboxEndpoint};

    fn desk(store: Store) -> Desk {
        // An address nothing listens on: the first screen must not need the gateway.
        let endpoint = SandboxEndpoint {
            base_url: "http://127.0.0.1:9".into(),
            key: ApiKey::new("sk-test-first-screen-not-a-real-key").unwrap(),
        };
        Desk::with_parts(
            store,
            MemoryKeychain::new().keychain(),
            Some(endpoint),
            None,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn it_is_what_the_first_commands_answer_without_the_gateway() {
        let dir = tempfile::tempdir().unwrap();
        let desk = desk(Store::open(dir.path()).unwrap());
        let first = desk.first_screen().unwrap();
        assert_eq!(first.connections, desk.connections().unwrap());
        assert_eq!(first.models, None, "nothing cached yet: the page asks");

        let models = vec![ModelInfo {
            id: "gpt-4o-mini".into(),
            display_name: None,
            r#type: None,
            created_at: None,
            owned_by: Some("openai".into()),
        }];
        desk.store()
            .replace_models("sandbox", &models, "2026-12-02T08:00:00Z")
            .unwrap();
        let first = desk.first_screen().unwrap();
        assert_eq!(first.models, Some(desk.models(false).await.unwrap()));
        assert!(first.models.unwrap().from_cache);
    }
}
