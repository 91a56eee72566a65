"""A2A agents served with the official SDK (a2a-sdk, pinned in
requirements-agents.txt), for tests/test_agents.py: the server under test
registers them as chat bots and talks to them as any A2A client would.

    python a2a_agent.py --port P --kind KIND [--api-key K] [--v03]

Serves the JSON-RPC binding at http://127.0.0.1:P/a2a (a path of its own, so a
client must follow the card's interface URL) and the card at
/.well-known/agent-card.json, then prints "ready". Kinds:

  echo    a Message "echo: <text> | context=<contextId> | turn=<n>", n counting
          the messages seen in that contextId
  stream  a Task whose artifact "streamed: <text>" comes in 4 appended chunks
          0.3 s apart, then completed (card: streaming true)
  ask     a Task in input-required asking "Which environment?"; the reply
          carrying its taskId completes it with "deploying to <reply>"
  data    a Message with a text part, a data part, a file sent inline and a
          file sent by address
  fail    the executor raises: the client gets a JSON-RPC error
  slow    answers as echo, after 10 s

--api-key K  the card declares an API key in header X-API-Key, and every
             JSON-RPC call without exactly that header gets HTTP 401
--v03        an A2A 0.3 agent: the card in 0.3 form (url, protocolVersion
             "0.3"), and only the 0.3 methods (message/send, ...) answered
"""

import argparse
import asyncio
import collections
import math

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from a2a.compat.v0_3.conversions import to_compat_agent_card
from a2a.helpers import new_data_part, new_task_from_user_message, new_text_message, new_text_part
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types.a2a_pb2 import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    APIKeySecurityScheme,
    Part,
    SecurityRequirement,
    SecurityScheme,
    StringList,
    TaskState,
)
from a2a.utils.constants import AGENT_CARD_WELL_KNOWN_PATH

RPC_PATH = "/a2a"
API_KEY_HEADER = "X-API-Key"
DATA = {"status": "ok", "items": [1, 2, 3]}
# The data agent's files: one sent inline (bytes), one by address.
REPORT_NAME, REPORT_BYTES = "report.csv", b"region,total\nnorth,42\n"
LINK_NAME, LINK_URL = "the full report", "https://example.com/reports/full"
STREAM_CHUNKS = 4
STREAM_PAUSE = 0.3
SLOW_SECONDS = 10

TITLES = {
    "echo": ("Echo Agent", "Repeats what it is told, with the conversation it belongs to."),
    "stream": ("Stream Agent", "Answers in pieces, streamed as they are made."),
    "ask": ("Ask Agent", "Asks which environment before it deploys."),
    "data": ("Data Agent", "Answers with text and a JSON document."),
    "fail": ("Fail Agent", "Fails every request."),
    "slow": ("Slow Agent", "Takes its time: ten seconds per answer."),
}


class KindExecutor(AgentExecutor):
    def __init__(self, kind):
        self.kind = kind
        self.turns = collections.Counter()

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        text = context.get_user_input()
        if self.kind == "fail":
            raise RuntimeError("the fail agent fails on purpose")
        if self.kind == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        if self.kind in ("echo", "slow"):
            await event_queue.enqueue_event(self.echo(text, context.context_id))
        elif self.kind == "data":
            answer = new_text_message("Here is the data.", context_id=context.context_id)
            answer.parts.append(new_data_part(DATA))
            answer.parts.append(Part(raw=REPORT_BYTES, filename=REPORT_NAME, media_type="text/csv"))
            answer.parts.append(Part(url=LINK_URL, filename=LINK_NAME, media_type="text/html"))
            await event_queue.enqueue_event(answer)
        elif self.kind == "stream":
            await self.stream(context, event_queue, f"streamed: {text}")
        elif self.kind == "ask":
            await self.ask(context, event_queue, text)

    def echo(self, text, context_id):
        # The turn count proves the client keeps one contextId per conversation.
        self.turns[context_id] += 1
        answer = f"echo: {text} | context={context_id} | turn={self.turns[context_id]}"
        return new_text_message(answer, context_id=context_id)

    async def stream(self, context, event_queue, answer):
        task = context.current_task or new_task_from_user_message(context.message)
        await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        await updater.start_work()
        size = math.ceil(len(answer) / STREAM_CHUNKS)
        chunks = [answer[i:i + size] for i in range(0, len(answer), size)]
        for index, chunk in enumerate(chunks):
            if index:
                await asyncio.sleep(STREAM_PAUSE)
            await updater.add_artifact(
                [new_text_part(chunk)], artifact_id="answer", name="answer",
                append=index > 0, last_chunk=index == len(chunks) - 1)
        await updater.complete()

    async def ask(self, context, event_queue, text):
        task = context.current_task
        if task is not None and task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED:
            updater = TaskUpdater(event_queue, task.id, task.context_id)
            await updater.add_artifact([new_text_part(f"deploying to {text}")], name="deployment")
            await updater.complete()
            return
        task = new_task_from_user_message(context.message)
        await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        await updater.requires_input(updater.new_agent_message([new_text_part("Which environment?")]))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        raise RuntimeError("cancelling is not supported")


def build_card(kind, port, api_key, v03):
    name, description = TITLES[kind]
    card = AgentCard(
        name=name,
        description=description,
        version="1.0.0",
        icon_url=f"https://example.com/icons/{kind}.png",
        supported_interfaces=[AgentInterface(
            url=f"http://127.0.0.1:{port}{RPC_PATH}",
            protocol_binding="JSONRPC",
            protocol_version="0.3" if v03 else "1.0",
        )],
        capabilities=AgentCapabilities(streaming=kind == "stream"),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain", "application/json"],
        skills=[
            AgentSkill(id=f"{kind}-main", name=f"{name}: main skill", description=description,
                       tags=[kind, "test"], examples=[f"{kind} hello", "say something"]),
            AgentSkill(id=f"{kind}-help", name="Help", description="Explains what the agent does.",
                       tags=["help"], examples=["help"]),
        ],
    )
    if api_key:
        card.security_schemes["apiKey"].CopyFrom(SecurityScheme(api_key_security_scheme=APIKeySecurityScheme(
            location="header", name=API_KEY_HEADER, description="The key this agent was given.")))
        card.security_requirements.append(SecurityRequirement(schemes={"apiKey": StringList(list=[])}))
    return card


def build_app(kind, port, api_key, v03):
    card = build_card(kind, port, api_key, v03)
    handler = DefaultRequestHandler(agent_executor=KindExecutor(kind), task_store=InMemoryTaskStore(), agent_card=card)
    (rpc_route,) = create_jsonrpc_routes(handler, RPC_PATH, enable_v0_3_compat=v03)
    dispatch = rpc_route.endpoint

    async def rpc(request: Request):
        if api_key and request.headers.get(API_KEY_HEADER) != api_key:
            return JSONResponse({"error": f"missing or wrong {API_KEY_HEADER}"}, status_code=401)
        if v03:
            # A 0.3 agent knows only the 0.3 method names (they hold a slash);
            # the SDK would answer the 1.0 ones on the same endpoint.
            try:
                body = await request.json()
            except ValueError:
                body = None
            method = body.get("method") if isinstance(body, dict) else None
            if isinstance(method, str) and "/" not in method:
                return JSONResponse({"jsonrpc": "2.0", "id": body.get("id"), "error": {
                    "code": -32601, "message": f"Method not found: {method} (this agent speaks A2A 0.3)"}})
        return await dispatch(request)

    routes = [Route(RPC_PATH, rpc, methods=["POST"])]
    if v03:
        # Served as a 0.3 agent serves it: the 0.3 fields only, no supportedInterfaces.
        v03_card = to_compat_agent_card(card).model_dump(mode="json", by_alias=True, exclude_none=True)
        routes.append(Route(AGENT_CARD_WELL_KNOWN_PATH, lambda _: JSONResponse(v03_card), methods=["GET"]))
    else:
        routes.extend(create_agent_card_routes(card))
    return Starlette(routes=routes)


async def serve(app, port):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
            raise SystemExit("the server stopped before it listened")
        await asyncio.sleep(0.05)
    print("ready", flush=True)
    await task


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--kind", choices=sorted(TITLES), required=True)
    parser.add_argument("--api-key", default="")
    parser.add_argument("--v03", action="store_true")
    args = parser.parse_args()
    asyncio.run(serve(build_app(args.kind, args.port, args.api_key, args.v03), args.port))


if __name__ == "__main__":
    main()
