//! The test mail of the e-mail settings: sent to the admin who asks, through
//! the configured SMTP server, and waited for, so a refusal is reported.

use super::messages;
use crate::error::Result;
use crate::model::Permission;
use crate::services::{Actor, Core};

impl Core {
    /// Mails a test message to the actor's own address (`test_email`:
    /// system admins). Without e-mail set up this is `NotImplemented`; a
    /// mail server that refuses or cannot be reached is `Unavailable`.
    pub async fn send_test_email(&self, actor: &Actor) -> Result<()> {
        self.require_team_permission(actor, "", Permission::TestEmail)
            .await?;
        let mailer = self.mailer()?;
        mailer
            .send(&actor.user.email, messages::test_email(&self.site_name()))
            .await
    }
}
