"""A fast loopback endpoint that answers recording signals correctly, for load-rate benchmarks.

    python benchmarks/recording_endpoint.py --port 8099 --world reports/out/load-recording/world.yaml

asyncio, HTTP/1.1 keep-alive, no database: each agent's recording state lives in a dict and
the answers come from loadtests.recording_rules, so every checked answer passes and the load
generator, not the target, is what a run measures. Binds 127.0.0.1 only. Not a VICIdial host.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from conformance.world import load_world
from loadtests.recording_rules import expected_answer


class RecordingEndpoint(asyncio.Protocol):
    def __init__(self, agents: dict[str, dict], states: dict[str, str]):
        self.agents, self.states = agents, states
        self.buffer = b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:  # GET requests only: no bodies to skip
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b" ", 2)[1].decode("latin-1")
            body = self.answer(dict(parse_qsl(urlsplit(target).query))).encode("latin-1")
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)

    def answer(self, params: dict[str, str]) -> str:
        agent = self.agents.get(params.get("agent_user", ""))
        if agent is None:
            return ""
        action = params.get("value", "")
        value = action + params.get("stage", "") if action == "START" else action
        text, self.states[agent["user"]] = expected_answer(action, value, agent, self.states[agent["user"]])
        return text


async def serve(port: int, world: Path) -> None:
    agents = {agent["user"]: agent for agent in load_world(world).agents.values()}
    states = {user: agent.get("external_recording", "") or "" for user, agent in agents.items()}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: RecordingEndpoint(agents, states), "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--world", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.world))


if __name__ == "__main__":
    main()
