"""The import rules of ARCHITECTURE.md, checked over every module's source (function-level imports too)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("conformance", "loadtests")
# The loadtests modules the command line runs in its own process: they start Locust, never import it.
RUNNER_SIDE = ("loadtests.recording_run", "loadtests.stats_run", "loadtests.locust_process", "loadtests.summary_merge",
               "loadtests.seeder", "loadtests.remote_worker", "loadtests.dead_workers")
VAGUE_NAMES = {"utils", "util", "helpers", "common", "misc", "tools"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache  # every rule test reads every module: each is read once per test process
def imports_of(path: Path) -> frozenset[str]:
    """Absolute names of every module ``path`` imports, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
                found.add(module)
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return frozenset(found)


@functools.cache
def runtime_imports(path: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    """The project modules ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks apart), and
    the private names (``_name``) it takes from another module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = parsed(path)
    typing_only = {id(child) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for statement in node.body for child in ast.walk(statement)}
    modules, private = set(), []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            modules.add(module)
            modules.update(f"{module}.{alias.name}" for alias in node.names)
            private += [f"{name} takes {alias.name} from {module}" for alias in node.names
                        if alias.name.startswith("_") and not alias.name.startswith("__")
                        and any(_within(module, package_name) for package_name in PACKAGES)]
    return frozenset(modules), tuple(private)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of project modules that import one another (strongly connected, Tarjan)."""
    edges = {module: sorted(name for name in imported if name in graph and name != module)
             for module, imported in graph.items()}
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(module: str) -> None:
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path)
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Each broken rule as '<module> imports <name>: <rule>'."""
    found = []

    def refuse(module: str, test, rule: str) -> None:
        found.extend(f"{module} imports {name}: {rule}" for name in sorted(graph[module])
                     if test(name) and not _within(name, module))

    def internal(name: str) -> bool:
        return any(_within(name, package) for package in PACKAGES)

    def outside(*allowed: str):
        return lambda name: internal(name) and not any(_within(name, prefix) for prefix in allowed)

    for module in graph:
        if module.rpartition(".")[2] in VAGUE_NAMES:
            found.append(f"{module}: a module named for what it does, not 'utils' or 'helpers'")
        if _within(module, "conformance") or module in RUNNER_SIDE:
            refuse(module, lambda name: _within(name, "locust") or _within(name, "gevent"),
                   "Locust runs only in the load profiles, in child processes")
        if _within(module, "conformance") and module not in ("conformance.commands.load", "conformance.commands.seed"):
            refuse(module, lambda name: _within(name, "loadtests"),
                   "only the command line (its load and seed commands) reaches the load tools")
        if _within(module, "conformance.tables"):
            refuse(module, outside("conformance.tables", "conformance.world", "conformance.errors",
                                   "conformance.redaction"),
                   "tables/ uses only world, errors and redaction")
        if _within(module, "conformance.host"):
            refuse(module, outside("conformance.host", "conformance.tables", "conformance.phpmath",
                                   "conformance.world", "conformance.errors"),
                   "host/ uses only tables/, phpmath, world and errors (never the oracle or the checker)")
        if _within(module, "conformance.oracle"):
            refuse(module, outside("conformance.oracle", "conformance.phpmath", "conformance.agent_log_generator"),
                   "the oracle computes exports on its own: phpmath and the agent-log generator only")
        if _within(module, "conformance") and module not in ("conformance.harness", "conformance.commands.serve"):
            refuse(module, lambda name: _within(name, "conformance.host") and not _within(module, "conformance.host"),
                   "only the harness and the command line (serve) start the reference host")
        if not (_within(module, "conformance.report") or _within(module, "conformance.plugin")):
            refuse(module, lambda name: _within(name, "conformance.report"), "only the plugin writes reports")
        if not (_within(module, "conformance.plugin") or module == "conformance.commands.check"):
            refuse(module, lambda name: _within(name, "pytest"),
                   "only the plugin and the command line (check) use pytest")
    return found


def test_every_module_keeps_the_import_rules():
    assert violations(import_graph()) == []


@pytest.mark.parametrize("module, imported, rule", [
    ("conformance.host.app", "conformance.oracle.agent_stats", "never the oracle"),
    ("conformance.oracle.columns", "conformance.tables.database", "on its own"),
    ("conformance.tables.database", "conformance.harness", "tables/ uses only"),
    ("conformance.spec", "loadtests.recording_run", "only the command line"),
    ("conformance.execution", "conformance.host.server", "only the harness"),
    ("conformance.cli", "conformance.report.writer", "only the plugin"),
    ("conformance.commands.cleanup", "loadtests.seeder", "only the command line"),
    ("conformance.commands.check", "conformance.host.server", "only the harness"),
    ("conformance.matcher", "pytest", "only the plugin"),
    ("conformance.client", "locust.env", "only in the load profiles"),
    ("loadtests.recording_run", "gevent", "in child processes"),
    ("loadtests.locust_process", "locust.env", "in child processes"),
])
def test_a_broken_rule_is_named(module, imported, rule):
    graph = import_graph()
    graph[module] = graph[module] | {imported}
    [problem] = violations(graph)
    assert problem.startswith(f"{module} imports {imported}: ") and rule in problem


def _runtime_graph() -> tuple[dict[str, set[str]], list[str]]:
    graph, private = {}, []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules, taken = runtime_imports(path)
            graph[module_name(path)] = modules
            private += taken
    return graph, private


def test_no_modules_import_one_another():
    """One direction between any two modules (type-only imports apart): each can be read on its own."""
    graph, _ = _runtime_graph()
    graph = {module: {name for name in imported if not name.endswith(".__init__")} for module, imported in graph.items()}
    packages = {module for module in graph if (ROOT / module.replace(".", "/") / "__init__.py").exists()}
    assert cycles({module: imported for module, imported in graph.items() if module not in packages}) == []


def test_a_cycle_is_named():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_takes_another_ones_private_names():
    _, private = _runtime_graph()
    assert private == []


def test_a_vague_module_name_is_refused():
    assert violations({"conformance.utils": set()}) == [
        "conformance.utils: a module named for what it does, not 'utils' or 'helpers'"]


def test_every_module_says_what_it_is_for():
    missing = [module_name(path) for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
               if path.name != "__init__.py" and not ast.get_docstring(parsed(path))]
    assert missing == []
