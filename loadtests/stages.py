"""The stages of a stepped load run: user counts and, for the open model, arrival rates, each held for a time.

Written ``USERS:SECONDS[:RATE]`` and separated by commas (``10:30,20:30,40:30:200``): the
runner passes this text to the profile (``--stages`` or VICICERT_STAGES), whose
``StagesShape`` runs the stages one after another in one Locust process. No locust import:
the runner and the capacity report use it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    users: int
    seconds: float
    rate: float | None = None   # requests per second across all users (open model); None: back to back

    def text(self) -> str:
        return f"{self.users}:{self.seconds:g}" + (f":{self.rate:g}" if self.rate is not None else "")

    def describe(self) -> str:
        """The stage in words, as the progress line and the report name it."""
        return f"{self.users} users" + (f" at {self.rate:g}/s" if self.rate is not None else "")


def parse_stages(text: str) -> list[Stage]:
    """``USERS:SECONDS[:RATE],...`` as stages; a ValueError names the part that is wrong and the form."""
    stages = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        fields = part.split(":")
        try:
            if len(fields) not in (2, 3):
                raise ValueError
            users, seconds = int(fields[0]), float(fields[1])
            rate = float(fields[2]) if len(fields) == 3 else None
        except ValueError:
            raise ValueError(f"stage {part!r} is not USERS:SECONDS or USERS:SECONDS:RATE "
                             "(for example 10:30 or 10:30:200)") from None
        if users < 1 or not seconds > 0 or (rate is not None and not rate > 0):
            raise ValueError(f"stage {part!r}: users, seconds and rate must be above 0")
        stages.append(Stage(users, seconds, rate))
    return stages


def format_stages(stages: list[Stage]) -> str:
    return ",".join(stage.text() for stage in stages)


def stepped(users: list[int] | None, rates: list[float] | None, seconds: float, default_users: int) -> list[Stage]:
    """Stages from ``--steps`` (user counts) and ``--rate-steps`` (arrival rates): each list one stage per
    item; both given, they pair up (same length); only rates, every stage has ``default_users``."""
    if users and rates and len(users) != len(rates):
        raise ValueError(f"--steps has {len(users)} stages and --rate-steps {len(rates)}: give as many of each, "
                         "or only one of them")
    count = len(users or rates or [])
    return [Stage(users[index] if users else default_users, seconds, rates[index] if rates else None)
            for index in range(count)]
