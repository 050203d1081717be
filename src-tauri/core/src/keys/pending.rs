//! Pending rotations in storage: a verified plan waits in SQLite (without its secret) and the
//! replacement's secret in the keychain under the id its record will get, so a rotation
//! survives a restart and the UI can offer to resume it.

use super::rotation::RotationPlan;
use super::vault::{KeyVault, VaultError};
use super::ApiKey;
use crate::store::RotationRow;

impl KeyVault {
    /// Keychain first (the replacement's secret under its future record id), then the plan
    /// row; a row that cannot be written takes the secret back out. A plan made earlier for the
    /// same key is replaced, and its waiting secret removed.
    pub(super) fn save_pending(
        &self,
        plan: &RotationPlan,
        secret: &ApiKey,
    ) -> Result<(), VaultError> {
        let earlier = self.store().rotation(&plan.old.id)?;
        let json =
            serde_json::to_string(plan).map_err(|e| VaultError::InvalidInput(e.to_string()))?;
        self.keychain().set(&plan.new_key_id, secret)?;
        let row = RotationRow {
            old_key_id: plan.old.id.clone(),
            new_key_id: plan.new_key_id.clone(),
            plan: json,
            created_at: plan.planned_at.clone(),
        };
        if let Err(e) = self.store().save_rotation(&row) {
            self.forget_secret(&plan.new_key_id);
            return Err(e.into());
        }
        if let Some(earlier) = earlier {
            self.forget_secret(&earlier.new_key_id);
        }
        Ok(())
    }

    /// The rotation waiting for `old_key_id`'s confirmation, if any (also after a restart),
    /// with the old key's record and the connections to swap read fresh.
    pub fn pending_rotation(&self, old_key_id: &str) -> Result<Option<RotationPlan>, VaultError> {
        let Some(row) = self.store().rotation(old_key_id)? else {
            return Ok(None);
        };
        let mut plan: RotationPlan = serde_json::from_str(&row.plan).map_err(|e| {
            VaultError::InvalidInput(format!(
                "the stored rotation plan cannot be read ({e}); cancel it and plan again"
            ))
        })?;
        plan.new_key_id = row.new_key_id;
        plan.old = self.get(old_key_id)?;
        plan.connections = self.connections_using(old_key_id)?;
        Ok(Some(plan))
    }

    /// Every rotation waiting for confirmation, oldest first: what the UI offers to resume.
    pub fn pending_rotations(&self) -> Result<Vec<RotationPlan>, VaultError> {
        let mut plans = Vec::new();
        for id in self.store().rotation_old_key_ids()? {
            if let Some(plan) = self.pending_rotation(&id)? {
                plans.push(plan);
            }
        }
        Ok(plans)
    }
}
