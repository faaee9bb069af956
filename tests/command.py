"""``vicicert`` as a user runs it: a child process, output captured, bounded in time."""

from __future__ import annotations

import subprocess
import sys


def vicicert(*args: str, cwd=None, env=None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
