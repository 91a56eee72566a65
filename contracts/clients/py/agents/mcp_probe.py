"""An MCP client made with the official SDK (mcp, pinned in
requirements-agents.txt), for tests/test_mcp.py: it drives the server's MCP
endpoint as any MCP host would, over the Streamable HTTP transport.

    python mcp_probe.py --url URL/mcp --token T --mode auto|legacy --calls JSON

--calls is a JSON list of {"tool": name, "arguments": {...}}. The probe
connects, lists the tools, makes the calls in order and prints one JSON object:

  {"protocol_version", "server_name", "tools": [names],
   "results": [{"is_error", "text", "structured"}]}

A call the server refuses with a JSON-RPC error (rather than a tool result
with isError) is reported as is_error true, with "rpc_error": {code, message};
one whose structuredContent does not match the tool's outputSchema (the SDK
checks it) as is_error true, with "client_error".

--mode legacy forces the initialize handshake; auto is the SDK's default
(a server/discover probe first, the initialize handshake when the server does
not answer it). When connecting fails, the probe prints
{"error", "http_status"} (the first HTTP status that refused, else the
last one seen; null when no answer came) and exits 1.
"""

import argparse
import asyncio
import json
import sys

from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError


def result_entry(result):
    texts = [item.text for item in result.content if getattr(item, "type", None) == "text"]
    return {"is_error": bool(result.is_error), "text": "\n".join(texts), "structured": result.structured_content}


async def list_tool_names(client):
    names, cursor = [], None
    while True:
        page = await client.list_tools(cursor=cursor)
        names.extend(tool.name for tool in page.tools)
        cursor = page.next_cursor
        if not cursor:
            return names


async def probe(url, token, mode, calls):
    statuses = []

    async def note_status(response):
        statuses.append(response.status_code)

    # The bearer token goes on every request through the SDK's own HTTP client factory.
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
    http.event_hooks["response"].append(note_status)
    async with http:
        try:
            async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
                return 0, await run_calls(client, calls)
        except Exception as error:  # the SDK turns HTTP refusals into MCPError
            refused = [status for status in statuses if status >= 400]
            return 1, {"error": describe(error), "http_status": (refused or statuses or [None])[0]}


def describe(error):
    # The transport's task group wraps what failed; name the failure itself.
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return f"{type(error).__name__}: {error}"


async def run_calls(client, calls):
    info = client.server_info
    out = {
        "protocol_version": client.protocol_version,
        "server_name": info.name if info else None,
        "tools": await list_tool_names(client),
        "results": [],
    }
    for call in calls:
        try:
            result = await client.call_tool(call["tool"], call.get("arguments") or {})
            out["results"].append(result_entry(result))
        except MCPError as error:
            # A JSON-RPC error instead of a tool result: still a failed call.
            out["results"].append({
                "is_error": True, "text": error.error.message, "structured": None,
                "rpc_error": {"code": error.error.code, "message": error.error.message},
            })
        except RuntimeError as error:
            # The SDK checks structuredContent against the tool's outputSchema.
            out["results"].append({"is_error": True, "text": str(error), "structured": None, "client_error": str(error)})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--mode", choices=["auto", "legacy"], default="auto")
    parser.add_argument("--calls", default="[]")
    args = parser.parse_args()
    code, out = asyncio.run(probe(args.url, args.token, args.mode, json.loads(args.calls)))
    print(json.dumps(out), flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
