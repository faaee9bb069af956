"""The functions the reference host answers: one module each, registered by a decorator.

A handler module under ``conformance/host/agent/`` (``/agc/api.php``) or
``conformance/host/non_agent/`` (``/vicidial/non_agent_api.php``) declares its function once:
the parameters it reads with their character filters (upstream's filters, latin mode; None
for a parameter upstream leaves as sent), a check of its own request, and the preamble steps
it passes through in upstream's order. The dispatchers and the filter tables come from these
declarations, so adding a function is one spec file and one handler module.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Mapping

PACKAGES = {"agent_api": "conformance.host.agent", "non_agent_api": "conformance.host.non_agent"}


@dataclass(frozen=True)
class HostFunction:
    """One API function: its handler and what it declares."""

    api: str
    name: str
    handler: Callable[[Any], Any]
    params: Mapping[str, str | None]
    steps: tuple[str, ...] = ()
    # the function's own request check: the Agent API's says the error and returns False to stop; the
    # Non-Agent API's (its 'check' step) returns the refusal, or None to go on
    check: Callable[[Any], Any] | None = None
    gate: Any = None               # its own permission gate after the login (the Non-Agent API's Gate)
    list_restricted: bool = False  # limited to the lists of the API user's group (api_list_restrict)


_REGISTERED: dict[str, dict[str, HostFunction]] = {api: {} for api in PACKAGES}


def host_function(api: str, name: str, params: Mapping[str, str | None], steps: tuple[str, ...] = (),
                  check: Callable[[Any], Any] | None = None, gate: Any = None, list_restricted: bool = False):
    """Register the decorated handler as ``name`` of ``api``."""
    if ("gate" in steps) != (gate is not None):
        raise ValueError(f"{api} function {name!r}: a gate and the 'gate' step go together")
    def register(handler):
        known = _REGISTERED[api].get(name)
        if known is not None and (known.handler.__module__, known.handler.__qualname__) != \
                (handler.__module__, handler.__qualname__):  # the same module imported anew is no clash
            raise ValueError(f"{api} function {name!r} is registered by {known.handler.__module__} and "
                             f"{handler.__module__}")
        _REGISTERED[api][name] = HostFunction(api, name, handler, dict(params), tuple(steps), check, gate,
                                              list_restricted)
        return handler
    return register


def functions(api: str) -> dict[str, HostFunction]:
    """Every function of ``api``: each module of its package is imported, and so registers."""
    package = importlib.import_module(PACKAGES[api])
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(_REGISTERED[api])


def filter_table(api: str, preamble: Mapping[str, str | None]) -> dict[str, str | None]:
    """The preamble's filters and every function's, one per parameter (two different ones are an error)."""
    table = dict(preamble)
    for function in functions(api).values():
        for param, chars in function.params.items():
            if param in table and table[param] != chars:
                raise ValueError(f"{api} parameter {param!r} is filtered as {table[param]!r} and, by "
                                 f"{function.name}, as {chars!r}: upstream filters each parameter once")
            table[param] = chars
    return table
