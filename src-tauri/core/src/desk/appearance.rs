//! The window's colour theme: follow the OS, or a person's fixed choice. Kept in the settings
//! table (one key) so the adapter can hand it to the page before its first paint.

use super::Desk;
use crate::error::DeskError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The settings-table key of the theme choice.
const THEME_KEY: &str = "ui_theme";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Light or dark as the OS says (`prefers-color-scheme`), following it live.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Self::System, Self::Light, Self::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl Desk {
    /// The stored choice; `System` when none was made. A word this version does not know (a
    /// newer app wrote it) also reads as `System`: a look, unlike data, is safe to default.
    pub fn theme(&self) -> Result<Theme, DeskError> {
        let stored = self.inner.store.setting(THEME_KEY)?;
        Ok(match stored.as_deref().map(|s| (s, Theme::parse(s))) {
            None => Theme::System,
            Some((_, Some(theme))) => theme,
            Some((word, None)) => {
                tracing::warn!("unknown stored theme `{word}`; following the OS");
                Theme::System
            }
        })
    }

    pub fn set_theme(&self, theme: Theme) -> Result<(), DeskError> {
        Ok(self.inner.store.set_setting(THEME_KEY, theme.as_str())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::testing::MemoryKeychain;
    use crate::store::Store;

    fn desk(store: Store) -> Desk {
        Desk::with_parts(store, MemoryKeychain::new().keychain(), None, None).unwrap()
    }

    #[test]
    fn the_choice_survives_a_reopen_and_defaults_to_the_os() {
        let dir = tempfile::tempdir().unwrap();
        let first = desk(Store::open(dir.path()).unwrap());
        assert_eq!(first.theme().unwrap(), Theme::System);
        first.set_theme(Theme::Dark).unwrap();
        drop(first);
        let again = desk(Store::open(dir.path()).unwrap());
        assert_eq!(again.theme().unwrap(), Theme::Dark);
        again.set_theme(Theme::Light).unwrap();
        assert_eq!(again.theme().unwrap(), Theme::Light);
    }

    #[test]
    fn an_unknown_stored_word_follows_the_os() {
        let store = Store::in_memory().unwrap();
        store.set_setting(THEME_KEY, "sepia").unwrap();
        assert_eq!(desk(store).theme().unwrap(), Theme::System);
    }

    #[test]
    fn words_round_trip_through_serde() {
        for theme in Theme::ALL {
            let json = serde_json::to_string(&theme).unwrap();
            assert_eq!(json, format!("\"{}\"", theme.as_str()));
            assert_eq!(serde_json::from_str::<Theme>(&json).unwrap(), theme);
        }
    }
}
