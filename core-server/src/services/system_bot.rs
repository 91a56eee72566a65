//! The system bot (`system-bot`, as on Mattermost): the account the server
//! writes its own direct messages as, made on first use and owned by the
//! first system admin. Its first message is the test notification.

use super::bots::NewBot;
use super::posts::PostOrigin;
use super::{Actor, Core, NewPost};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;

/// The system bot's username.
pub const SYSTEM_BOT_USERNAME: &str = "system-bot";

/// What the test notification says.
const TEST_MESSAGE: &str = "This is a test notification. If it reached your \
     devices, notifications work for your account.";

impl Core {
    /// The system bot's account, made (owned by the first system admin)
    /// when it does not exist yet. `NotFound` (`system admin`) when there is
    /// no admin to own it; `Conflict` when a person holds its username.
    pub(crate) async fn system_bot(&self) -> Result<User> {
        if let Some(bot) = self.existing_system_bot().await? {
            return Ok(bot);
        }
        let owner = self
            .store
            .first_system_admin()
            .await?
            .ok_or_else(|| Error::not_found("system admin"))?;
        let created = self
            .insert_bot(
                &owner.id,
                NewBot {
                    username: SYSTEM_BOT_USERNAME.into(),
                    display_name: "System".into(),
                    description: "Sends the messages of the server itself.".into(),
                },
            )
            .await;
        match created {
            Ok(bot) => self.store.get_user(&bot.user_id).await,
            // Made meanwhile by another request.
            Err(Error::Conflict { .. }) => self
                .existing_system_bot()
                .await?
                .ok_or_else(|| Error::conflict("username", "system-bot is a user's name")),
            Err(e) => Err(e),
        }
    }

    async fn existing_system_bot(&self) -> Result<Option<User>> {
        match self.store.get_user_by_username(SYSTEM_BOT_USERNAME).await {
            Ok(user) if user.is_bot => Ok(Some(user)),
            Ok(_) => Err(Error::conflict("username", "system-bot is a user's name")),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Sends the actor a direct message from the system bot that pushes to
    /// their devices whatever their notification settings and status.
    pub async fn send_test_notification(&self, actor: &Actor) -> Result<Post> {
        let bot = Actor::on_behalf_of(self.system_bot().await?);
        let (channel, _) = self.create_direct_channel(&bot, actor.id()).await?;
        let input = NewPost {
            message: TEST_MESSAGE.into(),
            props: Some(serde_json::json!({ "force_notification": new_id() })),
            ..NewPost::default()
        };
        self.create_post_from(&bot, &channel.id, input, PostOrigin::Server)
            .await
    }
}
