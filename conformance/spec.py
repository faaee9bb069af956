"""The spec model (Spec, Case, Outcome) and its loader.

A spec file describes one VICIdial function: endpoint, parameters and their constraints,
named response templates, and cases. Loading checks the file against SPEC_SCHEMA, then
checks that every name it uses resolves, then adds the cases generated from constraints.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .errors import SpecError
from .expansion import check_rule, generated_cases
from .matcher import Expected, with_headers
from .spec_schema import SPEC_SCHEMA
from .tables.schema import TABLES
from .tables.world_tables import HOST_COLUMNS, SECTIONS
from .template import Template
from .validation import check_document
from .bundle import EMBEDDED_WORLD
from .world import FACT_NAMES, MissingRole, World, load_world
from .yamlfile import KIB, ContentMemo, LinedDict, header, load_yaml

REFERENCE = "reference"
DOCUMENTED = "documented"
CONTRACTS = (REFERENCE, DOCUMENTED)


@dataclass(frozen=True)
class Outcome:
    """What one contract expects of a case, and where that expectation comes from."""

    expected: Expected
    label: str          # the response name, "sane", or "inline"
    source: str         # "reference" or a key of the spec's sources
    note: str = ""


def _headers(raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """An answer's own headers from its spec mapping (none when it names none)."""
    return tuple((str(name), str(value)) for name, value in raw.get("headers", {}).items())


def build_number(version: str) -> tuple[int, ...]:
    """'2.14-82' as (2, 14, 82), for ordering builds."""
    return tuple(int(part) for part in re.split(r"[.-]", version))


@dataclass(frozen=True)
class Effect:
    """What a call must leave in one table: the rows ``where`` selects hold ``values``, and
    there are ``rows`` of them (when given; otherwise at least one).

    A value may use the spec's ``patterns`` (a stored epoch, say): the stored text must then
    match, as an answer's body does; ``where`` names exact values only."""

    table: str
    where: tuple[tuple[str, Template], ...]
    values: tuple[tuple[str, Template | None], ...] = ()
    rows: int | None = None
    line: int = 0
    patterns: tuple[tuple[str, str], ...] = ()    # the spec's patterns: placeholder -> regex

    def templates(self) -> list[Template]:
        return [template for _, template in (*self.where, *self.values) if template is not None]


@dataclass(frozen=True)
class Disturbance:
    """What an answer means for the whole host beyond the harness's rows (``what``), and the
    columns of the host's own rows it sets, with the value it sets: a real target is sent such a
    case only when the run allows it; SQL fixture mode then sets those values before the case (so
    the answer's counts are the harness's rows alone) and puts the host's own back after it."""

    what: str
    columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]   # table -> (column, value it is set to)


@dataclass(frozen=True)
class BuildOutcome:
    """The reference answer of the upstream builds from ``since`` to ``until`` (either may be open),
    where it differs from the build the spec was verified against."""

    since: str | None
    until: str | None
    outcome: Outcome
    effects: tuple[Effect, ...] = ()

    def holds_for(self, version: str) -> bool:
        number = build_number(version)
        return (self.since is None or build_number(self.since) <= number) and \
            (self.until is None or number <= build_number(self.until))

    @property
    def bounds(self) -> str:
        if self.since and self.until:
            return f"builds {self.since} to {self.until}"
        return f"builds {self.since} and later" if self.since else f"builds up to {self.until}"


@dataclass(frozen=True)
class Sending:
    """How a case's request goes out when not as an encoded GET: ``method`` POST puts the request
    parameters in a form body, any other method keeps them in the query (upstream's scripts run
    for every method); ``query`` and ``body`` are sent byte for byte (placeholders filled),
    ``query`` in place of the encoded parameters in the URL, ``body`` in place of them in the body."""

    method: str = "GET"
    query: Template | None = None
    body: Template | None = None
    content_type: str | None = None   # of the body, when not a urlencoded form (multipart/form-data...)
    path: Template | None = None      # in place of the endpoint, byte for byte (/agc/api.php/more, /agc/api%2Ephp)


@dataclass(frozen=True)
class Case:
    """One request against a world state, and what each contract expects back."""

    api: str
    function: str
    endpoint: str
    name: str
    why: str
    path: Path
    line: int
    request: tuple[tuple[str, Template | None], ...]
    reference: Outcome
    documented: tuple[Outcome, ...] = ()
    api_role: str = "api_admin"
    agent_role: str | None = None
    needs_agent_log: bool = False
    custom_tables: tuple[str, ...] = ()           # lists whose custom_<list_id> table the case needs
    tables: tuple[str, ...] = ()                  # optional tables (schema.py) the case needs: its spec's
                                                  # needs_tables and its own world.tables
    settings: Mapping[str, Any] = field(default_factory=dict)
    vars: Mapping[str, str] = field(default_factory=dict)
    generated: bool = False
    writes: str = ""    # what the case changes on the host, on a host that answers as the reference; "" nothing
    disturbs: Disturbance | None = None           # what its reference answer does to the whole host
    effects: tuple[Effect, ...] = ()              # what it must leave in the database (reference behaviour)
    effects_unchecked: str = ""                   # why a writing case states no effects (its state cannot be read)
    headers: tuple[tuple[str, str], ...] = ()     # headers every answer of the function carries
    filters: tuple[tuple[str, str], ...] = ()     # parameter: the characters upstream keeps ({filtered.NAME})
    by_build: tuple[BuildOutcome, ...] = ()       # other builds' reference answers, where they differ
    send: Sending | None = None                   # how the request goes out, where not as a plain GET

    def for_build(self, version: str | None) -> "Case":
        """The case as a target of ``version`` must answer it (itself for the verified build or an unknown one)."""
        if version and re.fullmatch(r"[0-9]+\.[0-9]+-[0-9]+", version):
            for other in self.by_build:
                if other.holds_for(version):
                    outcome = replace(other.outcome, note=f"{other.bounds}: {other.outcome.note}".rstrip(": "))
                    return replace(self, reference=outcome, effects=other.effects, by_build=())
        return self

    @property
    def answer_headers(self) -> tuple[tuple[str, str], ...]:
        """The headers the reference answer must carry: the function's common ones, then the answer's own."""
        return with_headers(self.headers, self.reference.expected.headers)

    @property
    def id(self) -> str:
        return f"{self.api}::{self.function}::{self.name}"

    @property
    def roles(self) -> frozenset[str]:
        """The world roles the case needs: its API user, its agent and any role its request names."""
        templates = [t for _, t in self.request if t is not None]
        if self.send is not None:
            templates += [t for t in (self.send.query, self.send.body, self.send.path) if t is not None]
        named = {name.split(".")[1] for template in templates for name in template.names if name.startswith("role.")}
        return frozenset({self.api_role, *([self.agent_role] if self.agent_role else []), *named})

    @property
    def documented_outcomes(self) -> tuple[Outcome, ...]:
        """The documented contract; where nothing is documented apart, the reference."""
        return self.documented or (self.reference,)

    @property
    def drifts(self) -> bool:
        return bool(self.documented)

    @property
    def mutates_settings(self) -> bool:
        return bool(self.settings)


@dataclass(frozen=True)
class Spec:
    """One function's contract: its file, endpoint, sources and cases."""

    path: Path
    api: str
    function: str
    endpoint: str
    summary: str
    sources: Mapping[str, str]
    cases: tuple[Case, ...]
    responses: Mapping[str, Expected] = field(default_factory=dict)
    filters: Mapping[str, str] = field(default_factory=dict)   # parameter: the characters upstream keeps
    profiles: tuple[str, ...] = ()   # certification profiles beyond its API's own (certificate/profiles.py)

    @property
    def generated_cases(self) -> tuple[Case, ...]:
        return tuple(case for case in self.cases if case.generated)


SPEC_HEADER, WORLD_HEADER = "vicicert: spec/1", "vicicert: world/1"
MAX_SPEC_BYTES = 256 * KIB   # the largest bundled spec is 19 KiB


def file_format(path: Path) -> str | None:
    """'spec/1', 'world/1', another ``vicicert:`` value, or None: what the first meaningful line declares."""
    line, _ = header(path)
    if line is None:
        return None
    key, _, value = line.replace('"', "").replace("'", "").partition(":")
    return value.strip() if key.strip() == "vicicert" else None


def is_spec_file(path: Path) -> bool:
    """True for a YAML file whose first meaningful line declares the spec format (even behind a
    byte-order mark or in UTF-16: collected, so the loader says what to fix rather than skipping it)."""
    return path.suffix in (".yaml", ".yml") and path.is_file() and file_format(path) == "spec/1"


def spec_files(root: Path) -> list[Path]:
    """Every spec file below ``root`` (or ``root`` itself), in a stable order. In a folder every
    YAML file (hidden folders apart) is a spec or a world; any other is an error, never skipped."""
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if path.suffix not in (".yaml", ".yml") or not path.is_file() \
                or any(part.startswith(".") for part in relative):
            continue
        kind = file_format(path)
        if kind == "spec/1":
            found.append(path)
        elif kind != "world/1":
            _, line = header(path)
            declared = f"declares vicicert: {kind}, which this version does not read" if kind else \
                "is neither a spec nor a world"
            raise SpecError(path, line or None, f"a YAML file in the spec folder {declared}",
                            f"start it with the line '{SPEC_HEADER}' (or '{WORLD_HEADER}' for a world), "
                            "or move it out of the folder")
    return found


def load_specs(root: Path, world: World | None = None) -> list[Spec]:
    roles = bundled_roles() if world is None else RoleVocabulary(world)
    return [load_spec(path, roles) for path in spec_files(root)]


def load_spec(path: Path, world: World | RoleVocabulary | None = None) -> Spec:
    """Load, check and expand one spec file; any problem is a SpecError with its line. Its roles
    must be ``world``'s (default: the bundled world's)."""
    roles = world if isinstance(world, RoleVocabulary) else bundled_roles() if world is None else RoleVocabulary(world)

    def build() -> Spec:
        document = load_yaml(path, SpecError, MAX_SPEC_BYTES, "a spec file")
        check_document(document, SPEC_SCHEMA, path, SpecError)
        return _SpecBuilder(path, document, roles).build()
    return _LOADED.get(Path(path), build) if roles is bundled_roles() else build()


# A check loads each spec twice in one process (the command's own check of every file, then pytest's
# collection), and a Spec is immutable: the second load of the same bytes against the bundled roles
# is the first one's result.
_LOADED = ContentMemo(limit=256, max_bytes=MAX_SPEC_BYTES)


class RoleVocabulary:
    """The roles, and each pair of roles' placeholder fields, that specs may name: those of the
    bundled world, or of the bundled world with a world of one's own on top (``world_to_write``)."""

    def __init__(self, world: World):
        self.world = world
        self.roles = {"api_users": list(world.api_users), "agents": list(world.agents)}
        self._names: dict[tuple[str, str | None], frozenset[str] | None] = {}

    def context_names(self, api_role: str, agent_role: str | None) -> frozenset[str] | None:
        """The placeholder names the world gives a case with these roles (None: a role it lacks,
        which the role check names)."""
        if (api_role, agent_role) not in self._names:
            try:
                self._names[api_role, agent_role] = frozenset(self.world.context(api_role, agent_role))
            except MissingRole:
                self._names[api_role, agent_role] = None
        return self._names[api_role, agent_role]

    @property
    def described(self) -> str:
        """The worlds read, as an error names them."""
        if len(self.world.files) <= 1:
            return f"the embedded world ({EMBEDDED_WORLD.name}; worlds read: {EMBEDDED_WORLD})"
        own = ", ".join(f"{path} (--world)" for path in self.world.files[1:])
        return f"the worlds read ({self.world.files[0]}, the bundled world; {own})"

    def unknown_role_fix(self, section: str, role: str) -> str:
        close = difflib.get_close_matches(role, self.roles[section], n=1)
        return ((f"did you mean {close[0]!r}? " if close else "")
                + "roles come from the bundled world and from a world file of your own, given with --world FILE "
                f"(with --world-db, or on the embedded host), whose roles are added to the bundled ones: add "
                f"{role!r} under '{section}' there (user: vcrt..., and the columns it needs), "
                f"or use one of: {', '.join(self.roles[section])}")


@lru_cache(maxsize=1)
def bundled_roles() -> RoleVocabulary:
    return RoleVocabulary(load_world(EMBEDDED_WORLD))


class _SpecBuilder:
    """Turns a schema-valid document into a Spec, checking every cross-reference."""

    def __init__(self, path: Path, document: LinedDict, roles: RoleVocabulary):
        self.path = path
        self.doc = document
        self.roles = roles
        self.sources: dict[str, str] = dict(document["sources"])
        self.patterns: dict[str, str] = dict(document.get("patterns", {}))
        self.defaults: LinedDict = document.get("defaults", LinedDict())
        self.responses: dict[str, Expected] = {}
        self.response_lines: dict[str, int] = {}
        self.response_writes: dict[str, str] = {}   # the answers that mean the host changed something
        self.response_effects: dict[str, tuple[Effect, ...]] = {}
        self.response_disturbs: dict[str, Disturbance] = {}
        self.headers = tuple((str(name), str(value)) for name, value in document.get("headers", {}).items())
        self.filters = tuple((param, raw["filter"]) for param, raw in document.get("parameters", {}).items()
                             if "filter" in raw)
        self.needs_tables = tuple(document.get("needs_tables", ()))

    def fail(self, line: int | None, message: str, fix: str) -> SpecError:
        return SpecError(self.path, line, message, fix)

    def build(self) -> Spec:
        self._check_needed_tables()
        self._check_header_placeholders(self.doc)
        self._build_responses()
        known = self._known_placeholders()
        cases: list[Case] = []
        by_name: dict[str, Case] = {}
        for index, raw in enumerate(self.doc["cases"]):
            case = self._build_case(raw, self.doc["cases"].line_of(index))
            if case.name in by_name:
                raise self.fail(case.line, f"case name {case.name!r} is used twice",
                                "give each case its own name")
            by_name[case.name] = case
            cases.append(case)
        for param, raw_param in self.doc.get("parameters", {}).items():
            for constraint in raw_param.get("constraints", []):
                line = constraint.line
                base = by_name.get(constraint["base"])
                if base is None:
                    raise self.fail(constraint.line_of("base"), f"base case {constraint['base']!r} does not exist",
                                    "name one of the cases in this file: " + ", ".join(by_name))
                self._check_source(constraint["source"], constraint.line_of("source"))
                check_rule(self, param, constraint, raw_param["constraints"])
                for case in generated_cases(self, param, constraint, base, line):
                    if case.name in by_name:
                        raise self.fail(line, f"generated case {case.name!r} clashes with a case of that name",
                                        "rename the explicit case")
                    by_name[case.name] = case
                    cases.append(case)
        for case in cases:
            self._check_placeholders(case, known)
        for case in cases:
            self._check_effects_stated(case)
        filters = dict(self.filters)
        return Spec(self.path, self.doc["api"], self.doc["function"], self.doc["endpoint"],
                    self.doc.get("summary", ""), self.sources, tuple(cases), dict(self.responses), filters,
                    tuple(self.doc.get("profiles", ())))

    # -- responses and outcomes -------------------------------------------------------

    def _build_responses(self) -> None:
        for name, raw in self.doc["responses"].items():
            line = self.response_lines[name] = self.doc["responses"].line_of(name)
            if isinstance(raw, str):
                raw = {"body": raw}
            if "writes" in raw:
                self.response_writes[name] = raw["writes"]
            if "effects" in raw:
                self.response_effects[name] = self.effects(raw["effects"])
            if "disturbs" in raw:
                self.response_disturbs[name] = self.disturbance(raw["disturbs"])
            self.responses[name] = Expected(
                status=raw.get("status", 200), body=self._template(raw["body"], line),
                patterns=self.patterns, fields=tuple(raw.get("fields", ())), headers=_headers(raw))

    def _template(self, text: str, line: int) -> Template:
        try:
            return Template.parse(text)
        except ValueError as exc:
            raise self.fail(line, f"bad template {text!r}: {exc}", "fix the braces") from None

    def outcome(self, raw: Any, line: int, source: str = REFERENCE, note: str = "") -> Outcome:
        """An Outcome from a response name, 'sane', or an inline mapping."""
        if isinstance(raw, str):
            raw = {"sane": True} if raw == "sane" else {"response": raw}
        note = raw.get("note", note)
        if raw.get("sane"):
            return Outcome(Expected(sane_only=True, source=source, headers=_headers(raw)), "sane", source, note)
        if "response" in raw:
            name = raw["response"]
            if name not in self.responses:
                raise self.fail(line, f"response {name!r} is not defined",
                                "define it under 'responses' or use one of: " + ", ".join(self.responses))
            expected = self.responses[name]
            if "status" in raw:
                expected = replace(expected, status=raw["status"])
            if "headers" in raw:
                expected = replace(expected, headers=with_headers(expected.headers, _headers(raw)))
            return Outcome(replace(expected, source=source), name, source, note)
        if "body" not in raw:
            raise self.fail(line, "an outcome needs a response, a body or sane: true",
                            "add response: NAME, body: TEXT or sane: true")
        expected = Expected(status=raw.get("status", 200), body=self._template(raw["body"], line),
                            patterns=self.patterns, source=source, headers=_headers(raw))
        return Outcome(expected, "inline", source, note)

    def documented(self, raw: Any, line: int) -> tuple[Outcome, ...]:
        items = raw if isinstance(raw, list) else [raw]
        outcomes = []
        for item in items:
            item_line = getattr(item, "line", line)
            self._check_source(item["source"], item_line)
            outcomes.append(self.outcome(item, item_line, source=item["source"], note=item.get("note", "")))
        return tuple(outcomes)

    def writes_of(self, outcome: Outcome, otherwise: str) -> str:
        """What a case whose reference answer is ``outcome`` changes: the named response's
        ``writes``; for an inline or sane answer, ``otherwise``."""
        if outcome.label in self.responses:
            return self.response_writes.get(outcome.label, "")
        return otherwise

    def effects_of(self, outcome: Outcome, own: tuple[Effect, ...] = ()) -> tuple[Effect, ...]:
        """What a case whose reference answer is ``outcome`` must leave: its own effects, else its answer's."""
        if own or outcome.label not in self.responses:   # a case's own effects replace its answer's
            return own
        return self.response_effects.get(outcome.label, ())

    def disturbs_of(self, outcome: Outcome) -> Disturbance | None:
        """What a case whose reference answer is ``outcome`` does to the whole host (its named response's)."""
        return self.response_disturbs.get(outcome.label)

    def disturbance(self, raw: LinedDict) -> Disturbance:
        """A response's ``disturbs``: columns of the host's own rows that SQL fixture mode knows to
        put back (tables/world_tables.py HOST_COLUMNS)."""
        columns = raw["columns"]
        for table, values in columns.items():
            known = HOST_COLUMNS.get(table, ())
            unknown = [column for column in values if column not in known]
            if unknown:
                raise self.fail(columns.line_of(table), f"disturbs names {table}.{unknown[0]}, which SQL fixture mode "
                                "does not know to put back on the host's own rows",
                                "declare it in HOST_COLUMNS (conformance/tables/world_tables.py); known: "
                                + ", ".join(f"{t}.{c}" for t, cs in HOST_COLUMNS.items() for c in cs))
        return Disturbance(raw["what"], tuple((table, tuple((column, str(value)) for column, value in values.items()))
                                              for table, values in columns.items()))

    def effects(self, raw: list) -> tuple[Effect, ...]:
        effects = []
        for index, item in enumerate(raw):
            line = raw.line_of(index)
            table = TABLES.get(item["table"])
            if table is None:
                raise self.fail(item.line_of("table"), f"effects name table {item['table']!r}, which vicicert "
                                "does not declare", "use one of: " + ", ".join(sorted(TABLES)) + " (or declare "
                                "it in conformance/tables/schema.py)")
            known = {column.name for column in table.columns}
            for key in ("where", "values"):
                for column in item.get(key, {}):
                    if column not in known:
                        raise self.fail(item[key].line_of(column), f"effects: {table.name} has no column "
                                        f"{column!r} declared", f"use one of: {', '.join(sorted(known))} (or "
                                        "declare it in conformance/tables/schema.py as upstream has it)")
            where = tuple((column, self._template(str(value), line)) for column, value in item["where"].items())
            for column, template in where:
                for name in sorted(template.names & set(self.patterns)):
                    raise self.fail(item["where"].line_of(column), f"effects: where {column} uses the pattern "
                                    f"{{{name}}}; where selects rows by exact values",
                                    "name the rows by a request parameter or a world fact; patterns belong "
                                    "in values")
            values = tuple((column, None if value is None else self._template(str(value), line))
                           for column, value in item.get("values", {}).items())
            effects.append(Effect(table.name, where, values, item.get("rows"), line,
                                  tuple(sorted(self.patterns.items()))))
        return tuple(effects)

    def by_build(self, raw: list) -> tuple[BuildOutcome, ...]:
        """Other builds' reference answers (``builds:``)."""
        found = []
        for index, item in enumerate(raw):
            line = raw.line_of(index)
            since, until = item.get("since"), item.get("until")
            if since and until and build_number(since) > build_number(until):
                raise self.fail(line, f"builds: since {since} comes after until {until}", "swap them")
            outcome = self.outcome(item, line, note=item.get("note", ""))
            own = self.effects(item["effects"]) if "effects" in item else ()
            found.append(BuildOutcome(since, until, outcome, self.effects_of(outcome, own)))
        return tuple(found)

    def _case_writes(self, raw: LinedDict, reference: Outcome) -> str:
        """A case's own ``writes`` (text, or false for nothing), else its reference answer's. In a
        spec whose answers can change the host, an inline or sane reference must say which it is."""
        if "writes" in raw:
            return raw["writes"] or ""
        if reference.label not in self.responses and self.response_writes:
            raise self.fail(raw["expect"].line_of("reference"), f"case {raw['name']!r}: its reference answer is "
                            "not a named response, and answers of this function can change the host "
                            f"({', '.join(self.response_writes)})",
                            "add writes: false if the request changes nothing, or writes: TEXT naming what it "
                            "changes (declared mode skips it unless --allow-writes)")
        return self.writes_of(reference, "")

    def _check_needed_tables(self) -> None:
        """``needs_tables`` names optional tables only; and a spec whose effects read an optional table
        names it there, or a host without it would fail those cases instead of skipping them."""
        line = self.doc.line_of("needs_tables")
        for name in self.needs_tables:
            if not (TABLES.get(name) and TABLES[name].optional):
                raise self.fail(line, f"needs_tables names {name!r}, which is no optional table",
                                "name tables declared with optional= in conformance/tables/schema.py: "
                                + ", ".join(sorted(n for n, table in TABLES.items() if table.optional)))
        for raw in [*self.doc["responses"].values(), *self.doc["cases"]]:
            effects = raw.get("effects", ()) if isinstance(raw, Mapping) else ()
            for index, effect in enumerate(effects):
                name = str(effect["table"])
                if TABLES.get(name) and TABLES[name].optional and name not in self.needs_tables:
                    raise self.fail(effects.line_of(index), f"effects read {name}, which a host may lack "
                                    f"({TABLES[name].optional})", f"add needs_tables: [{name}] at the top of "
                                    "the spec, so a host without it skips the cases instead of failing them")

    def _check_header_placeholders(self, node: Any) -> None:
        """A header value may hold only the spec's pattern placeholders (a file name's time stamp): the
        request and the world fill the body's texts, not the headers, which compare as sent."""
        if isinstance(node, list):
            for item in node:
                self._check_header_placeholders(item)
        if not isinstance(node, Mapping):
            return
        for key, value in node.items():
            if key == "headers" and isinstance(value, Mapping):
                for name, text in value.items():
                    template = self._template(str(text), value.line_of(name))
                    unknown = sorted(template.names - set(self.patterns))
                    if unknown:
                        raise self.fail(value.line_of(name), f"header {name} names {{{unknown[0]}}}, which is no "
                                        "pattern of the spec", "define it under 'patterns' (a regex), or write "
                                        "{{ and }} for literal braces")
            else:
                self._check_header_placeholders(value)

    def _case_tables(self, world: LinedDict, name: str) -> tuple[str, ...]:
        """The spec's ``needs_tables`` and the case's own ``world.tables`` (a function that reads an
        optional table for one parameter only, such as archived_lead=Y): optional tables only."""
        own = tuple(str(table) for table in world.get("tables", ()) if str(table) not in self.needs_tables)
        for table in own:
            if not (TABLES.get(table) and TABLES[table].optional):
                raise self.fail(world.line_of("tables"), f"case {name!r}: world tables names {table!r}, which is "
                                "no optional table", "name tables declared with optional= in "
                                "conformance/tables/schema.py: "
                                + ", ".join(sorted(n for n, t in TABLES.items() if t.optional)))
        return (*self.needs_tables, *own)

    def _check_effects_stated(self, case: Case) -> None:
        """A case that changes the host states what it leaves (``effects``, its own or its answer's), or
        says why that cannot be read (``effects_unchecked``); so does each other build's answer of it."""
        if case.effects_unchecked:
            return
        answers = [(case.reference.label, case.writes, case.effects, "")]
        answers += [(other.outcome.label, self.writes_of(other.outcome, case.writes), other.effects,
                     f" in {other.bounds}") for other in case.by_build]
        for label, writes, effects, where in answers:
            if not writes or effects:
                continue
            answer = f"response {label!r}" if label in self.responses else f"its {label} answer"
            place, reason = ("to the response the constraint names, or beside value and outside of the outside "
                             "sample", "on the base case ") if case.generated else \
                ("to the case or to its response", "")
            raise self.fail(case.line, f"case {case.name!r}: {answer}{where} changes the host ({writes}) but "
                            "no effects say what it leaves, so a host that answers right and stores something "
                            "else passes", f"add effects: [{{table, where, values}}] {place}, stating what "
                            f"upstream stores (its UPDATE or INSERT), or effects_unchecked: WHY {reason}where the "
                            "state cannot be read")

    def _check_source(self, source: str, line: int) -> None:
        if source not in self.sources and source != REFERENCE:
            raise self.fail(line, f"source {source!r} is not listed under 'sources'",
                            "add it to 'sources' or use one of: " + ", ".join(self.sources))

    # -- cases ------------------------------------------------------------------------

    def request(self, overrides: Mapping[str, Any], line: int) -> tuple[tuple[str, Template | None], ...]:
        merged: dict[str, Any] = dict(self.defaults)
        merged.update(overrides)
        return tuple((name, None if value is None else self._template(str(value), line))
                     for name, value in merged.items())

    def _build_case(self, raw: LinedDict, line: int) -> Case:
        world = raw.get("world", LinedDict())
        for key, section in (("api", "api_users"), ("agent", "agents")):
            if key in world and world[key] not in self.roles.roles[section]:
                raise self.fail(world.line_of(key), f"case {raw['name']!r}: {key} role {world[key]!r} is not in "
                                f"{self.roles.described}", self.roles.unknown_role_fix(section, world[key]))
        expect = raw["expect"]
        documented = self.documented(expect["documented"], expect.line_of("documented")) \
            if "documented" in expect else ()
        reference = self.outcome(expect["reference"], expect.line_of("reference"))
        writes = self._case_writes(raw, reference)
        effects = self.effects_of(reference, self.effects(raw["effects"]) if "effects" in raw else ())
        if "effects_unchecked" in raw and (effects or not writes):
            raise self.fail(raw.line_of("effects_unchecked"), f"case {raw['name']!r}: effects_unchecked, but the "
                            "case " + ("states effects" if effects else "changes nothing on the host"),
                            "remove effects_unchecked (it is only for a case that writes and whose state "
                            "cannot be read)")
        return Case(
            api=self.doc["api"], function=self.doc["function"], endpoint=self.doc["endpoint"],
            name=raw["name"], why=raw["why"], path=self.path, line=line,
            request=self.request(raw.get("request", {}), raw.line_of("request")),
            reference=reference,
            documented=documented,
            api_role=world.get("api", "api_admin"), agent_role=world.get("agent"),
            needs_agent_log=world.get("agent_log", False),
            custom_tables=tuple(str(list_id) for list_id in world.get("custom_tables", ())),
            tables=self._case_tables(world, raw["name"]),
            settings=dict(world.get("settings", {})), vars=dict(raw.get("vars", {})),
            writes=writes, effects=effects, effects_unchecked=raw.get("effects_unchecked", ""),
            disturbs=self.disturbs_of(reference),
            by_build=self.by_build(expect.get("builds", [])),
            send=self._sending(raw["send"], raw.line_of("send")) if "send" in raw else None,
            headers=self.headers,
            filters=self.filters,
        )

    def _sending(self, raw: Mapping[str, str], line: int) -> Sending:
        method = raw.get("method", "POST" if "body" in raw else "GET")
        if method in ("GET", "HEAD") and "body" in raw:
            raise self.fail(line, f"a {method} request has no body", "say method: POST, or give the parameters as query")
        if "content_type" in raw and "body" not in raw:
            raise self.fail(line, "content_type names the type of a body this case does not give",
                            "give the body byte for byte, or leave content_type out")
        return Sending(method, *(self._template(raw[key], line) if key in raw else None for key in ("query", "body")),
                       raw.get("content_type"), self._template(raw["path"], line) if "path" in raw else None)

    def _known_placeholders(self) -> set[str]:
        names = set(FACT_NAMES) | set(self.patterns) | set(self.defaults)
        names |= {f"filtered.{param}" for param, _ in self.filters}
        for raw in self.doc["cases"]:
            names |= set(raw.get("request", {})) | set(raw.get("vars", {}))
        return names

    def _check_placeholders(self, case: Case, known: set[str]) -> None:
        templates = [(t, case.line, "") for _, t in case.request if t is not None]
        if case.send is not None:
            templates += [(t, case.line, "send ") for t in (case.send.query, case.send.body, case.send.path)
                          if t is not None]
        templates += [(t, effect.line, "effects ") for effect in case.effects for t in effect.templates()]
        for outcome in (case.reference, *case.documented):
            if outcome.expected.body is not None:
                line = self.response_lines.get(outcome.label, case.line)
                where = f"response {outcome.label!r} " if outcome.label in self.response_lines else ""
                templates.append((outcome.expected.body, line, where))
        roles = {*self.roles.roles["api_users"], *self.roles.roles["agents"]}
        given = self.roles.context_names(case.api_role, case.agent_role)
        for template, line, where in templates:
            for name in sorted(template.names - known - set(case.vars)):
                if name.startswith("role.") and name.split(".")[1] not in roles:
                    raise self.fail(line, f"case {case.name!r}: {where}placeholder {{{name}}} names a role that is "
                                    f"not in {self.roles.described}",
                                    "use one of: " + ", ".join(sorted(roles)))
                if not name.startswith(("api.", "agent.", "role.", *(f"{section}." for section in SECTIONS))):
                    raise self.fail(line, f"case {case.name!r}: {where}unknown placeholder {{{name}}}",
                                    "use a request parameter, a world fact (" + ", ".join(sorted(FACT_NAMES))
                                    + "), api.*, agent.*, role.<role>.<field> or <section>.<row role>.<column>, "
                                    "or define it under 'patterns' "
                                    "or the case's 'vars'")
                if given is not None and name not in given:   # a world field no row has: every run would skip it
                    prefix = name.rsplit(".", 1)[0] + "."
                    fields = sorted(field for field in given if field.startswith(prefix))
                    raise self.fail(line, f"case {case.name!r}: {where}placeholder {{{name}}} names a field "
                                    f"{self.roles.described} does not give this case (API user role "
                                    f"{case.api_role!r}" + (f", agent role {case.agent_role!r}" if case.agent_role
                                                           else ", no agent role") + ")",
                                    ("use one of: " + ", ".join(fields)) if fields else
                                    "give the case the role that has it, or add the field to the world")

