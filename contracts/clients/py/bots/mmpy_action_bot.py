"""An mmpy_bot bot (PyPI mmpy-bot, used unchanged) for tests/test_mmpy_bot.py,
run in its own virtualenv (.venv-mmpy-bot). On "!deploy <tag>" it answers
with a message whose button points at its own webhook server; when the
button is clicked, the server calls that webhook and the bot answers with
Mattermost's action response: a new version of the post and a message for
the user who clicked.

Settings come from the environment, as mmpy_bot reads them:
MATTERMOST_URL, MATTERMOST_PORT, BOT_TOKEN, BOT_TEAM, WEBHOOK_HOST_URL,
WEBHOOK_HOST_PORT (WEBHOOK_HOST_ENABLED is set here)."""

import os

from mmpy_bot import ActionEvent, Bot, Message, Plugin, Settings, listen_to, listen_webhook


class DeployBot(Plugin):
    @listen_to("^!deploy ([a-z0-9]+)")
    async def offer(self, message: Message, tag: str):
        hook = f"{self.driver.webhook_url}/approve"
        self.driver.create_post(
            message.channel_id,
            f"Deploy {tag}?",
            props={"attachments": [{
                "text": "Waiting for approval",
                "actions": [{
                    "id": "approve",
                    "name": "Approve",
                    "integration": {"url": hook, "context": {"tag": tag}},
                }],
            }]},
        )

    @listen_webhook("approve")
    async def approve(self, event: ActionEvent):
        tag = event.context["tag"]
        self.driver.respond_to_web(event, {
            "update": {"message": f"Deploy {tag} approved by @{event.user_name}", "props": {}},
            "ephemeral_text": f"You approved deploy {tag}.",
        })


if __name__ == "__main__":
    os.environ["WEBHOOK_HOST_ENABLED"] = "True"
    Bot(settings=Settings(), plugins=[DeployBot()]).run()
