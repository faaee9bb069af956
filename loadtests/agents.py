"""Worlds for load runs: the embedded world's API users plus N logged-in agents of their own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from conformance.bundle import EMBEDDED_WORLD
from conformance.tables.world_tables import SECTIONS
from conformance.world import World, load_world

SERVER_IP = "192.0.2.16"
# About 250 bytes of world file per agent: 10,000 agents stay well inside the world file cap
# (conformance.world.MAX_WORLD_BYTES), which the serving child and the profile both read under.
MAX_LOAD_AGENTS = 10_000


def signals_world(agents: int) -> World:
    """``agents`` paused, idle agents ``vcrtl000001``...; each has its own session (conf_exten)."""
    base = load_world(EMBEDDED_WORLD)
    load_agents = {
        f"load_{index:06d}": {
            "user": f"vcrtl{index:06d}", "pass": f"vcLoad-{index:06d}", "full_name": f"Load agent {index}",
            "user_group": "LOAD", "server_ip": SERVER_IP, "conf_exten": str(8700000 + index),
            "status": "PAUSED", "campaign_id": "VCERTA", "lead_id": 0, "external_recording": "",
        }
        for index in range(1, agents + 1)
    }
    kept = {name: base.section(name) for name in ("servers", "campaigns", "pause_codes")}
    return replace(base, agents=load_agents, rows=kept)


def write_world(world: World, path: Path) -> Path:
    """The world as a world file (``vicicert serve --world`` and the profile read it)."""
    document = {
        "vicicert": "world/1",
        "description": "generated for a load run",
        "api_users": world.api_users, "agents": world.agents,
        **{name: rows for name, rows in world.rows.items() if SECTIONS[name].layout == "rows"},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m loadtests.agents N FILE``: a load world of N agents written to FILE, for
    ``vicicert serve --world FILE`` and plain Locust's ``--world FILE``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m loadtests.agents", description="write a load world of N agents")
    parser.add_argument("agents", type=int, help=f"how many agents (1 to {MAX_LOAD_AGENTS:,})")
    parser.add_argument("file", type=Path, help="where the world file goes")
    args = parser.parse_args(argv)
    if not 1 <= args.agents <= MAX_LOAD_AGENTS:
        parser.error(f"agents: give 1 to {MAX_LOAD_AGENTS:,}, not {args.agents}")
    print(f"load world with {args.agents} agents: {write_world(signals_world(args.agents), args.file)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
