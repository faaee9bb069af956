"""The contract as data: one YAML spec per VICIdial function, and the worlds in ``worlds/``.

Installed as ``conformance.specs`` (see pyproject.toml), so the wheel carries it and
``conformance.bundle`` finds it with ``importlib.resources``.
"""
