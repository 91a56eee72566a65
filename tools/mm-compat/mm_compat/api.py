"""A minimal Mattermost v4 HTTP client that keeps every exchange, so that
drift can check the answers of the seeding calls too."""

from dataclasses import dataclass

import requests

TIMEOUT = 15


@dataclass
class Exchange:
    method: str
    template: str  # the path template called, e.g. /api/v4/users/{user_id}
    url: str
    status: int
    body: object  # parsed JSON, or None
    is_json: bool
    text: str
    token: str = ""  # the Token header a login answers with


class Api:
    def __init__(self, base_url: str, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.token: str | None = None
        self.exchanges: list[Exchange] = []

    def with_token(self, token: str) -> "Api":
        other = Api(self.base_url, requests.Session())
        other.token = token
        other.exchanges = self.exchanges  # one record for the whole run
        return other

    def call(self, method: str, template: str, params: dict | None = None, *, query=None, json=None, files=None, data=None) -> Exchange:
        path = template.format(**(params or {})) if params else template
        headers = {"X-Requested-With": "XMLHttpRequest"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"

        def send():
            return self.http.request(
                method, self.base_url + path, params=query, json=json, files=files, data=data, headers=headers, timeout=TIMEOUT
            )

        try:
            response = send()
        except requests.ConnectionError:
            # A server that answers 405 without reading the body closes the
            # connection; the next request on it fails before being read.
            self.http = requests.Session()
            response = send()
        exchange = _exchange(method.upper(), template, response)
        self.exchanges.append(exchange)
        return exchange


def _exchange(method: str, template: str, response: requests.Response) -> Exchange:
    content_type = response.headers.get("Content-Type", "")
    body, is_json = None, False
    if "json" in content_type:
        try:
            body, is_json = response.json(), True
        except ValueError:
            pass
    text = "" if is_json else response.text[:300] if "text" in content_type or not content_type else ""
    return Exchange(method, template, response.url, response.status_code, body, is_json, text, response.headers.get("Token", ""))


def ok(exchange: Exchange) -> bool:
    return 200 <= exchange.status < 300


def error_id(exchange: Exchange) -> str:
    if isinstance(exchange.body, dict):
        return str(exchange.body.get("id", ""))
    return ""
