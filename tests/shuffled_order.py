"""A pytest plugin that runs the collected items in a seeded random order (what pytest-randomly
does for order, without a new dependency): ``-p shuffled_order`` with this folder on PYTHONPATH and
the seed in VICICERT_TEST_SHUFFLE_SEED. It runs first, as pytest-randomly's hook does, so -k and
vicicert's own ordering see the shuffled list. With VICICERT_TEST_ORDER_FILE set, each item's node
id is appended to that file as it starts, so a test can see the order the items really ran in."""

from __future__ import annotations

import os
import random

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list) -> None:
    random.Random(os.environ["VICICERT_TEST_SHUFFLE_SEED"]).shuffle(items)


def pytest_runtest_logstart(nodeid: str) -> None:
    if os.environ.get("VICICERT_TEST_ORDER_FILE"):
        with open(os.environ["VICICERT_TEST_ORDER_FILE"], "a", encoding="utf-8") as order:
            order.write(nodeid + "\n")
