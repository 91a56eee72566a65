"""Fills an upstream path template and its required query parameters from
the seeded values, or says why it cannot."""

from dataclasses import dataclass

from .paths import param_names
from .seed import Seed

# Path parameter name -> seeded value name. Upstream's names are used as they
# are; those that mean the same thing under another name are mapped here.
PATH_SOURCES = {
    "user_id": "user_id",
    "team_id": "team_id",
    "channel_id": "channel_id",
    "post_id": "post_id",
    "thread_id": "thread_id",
    "category_id": "category_id",
    "username": "username",
    "email": "email",
    "name": "team_name",  # /teams/name/{name}
    "team_name": "team_name",
    "channel_name": "channel_name",
    "emoji_id": "emoji_id",
    "emoji_name": "emoji_name",
    "hook_id": "hook_id",
    "token_id": "token_id",
    "bot_user_id": "bot_user_id",
    "invite_id": "invite_id",
    "category": "category",  # a preference category
    "preference_name": "preference_name",
    "file_id": "file_id",
    "upload_id": "upload_id",
    "job_id": "job_id",
    "export_name": "export_name",
}

# Values that need no seeding.
CONSTANTS = {"role_name": "system_user", "type": "export_process"}  # type: /jobs/type/{type}

# Required query parameters: (path, name) first, then name alone.
QUERY_SOURCES = {
    ("/api/v4/users/autocomplete", "name"): "username",
    ("/api/v4/emoji/autocomplete", "name"): "emoji_name",
    ("/files/{file_id}/public", "h"): "public_link_hash",
}
QUERY_CONSTANTS = {
    "format": "old",  # config/client and license/client
    "exclude_team": "zzzzzzzzzzzzzzzzzzzzzzzzzz",  # a well-formed id of no team
}

# A well-formed id nothing has, for probing routes that should answer 501.
PROBE_ID = "zzzzzzzzzzzzzzzzzzzzzzzzzz"


@dataclass
class Filled:
    params: dict
    query: dict
    missing: str = ""  # why it could not be filled


def fill(path: str, operation: dict, seed: Seed) -> Filled:
    params, query = {}, {}
    for name in param_names(path):
        value = _path_value(name, seed)
        if value is None:
            return Filled({}, {}, f"{{{name}}}: {seed.why_missing(PATH_SOURCES.get(name, name))}")
        params[name] = value
    for p in operation.get("parameters") or []:
        if p.get("in") != "query" or not p.get("required"):
            continue
        name = p.get("name", "")
        source = QUERY_SOURCES.get((path, name))
        if source is not None and source in seed.values:
            query[name] = seed.values[source]
        elif name in QUERY_CONSTANTS:
            query[name] = QUERY_CONSTANTS[name]
        else:
            return Filled({}, {}, f"required query parameter {name}: no value known")
    return Filled(params, query)


def probe_params(path: str) -> dict:
    return {name: PROBE_ID for name in param_names(path)}


def _path_value(name: str, seed: Seed):
    if name in CONSTANTS:
        return CONSTANTS[name]
    source = PATH_SOURCES.get(name)
    if source is None:
        return None
    return seed.values.get(source)
