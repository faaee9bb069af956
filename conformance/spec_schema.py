"""JSON Schemas of the spec and world file formats (checked at load time)."""

from __future__ import annotations

from .tables.schema import TABLES
from .tables.world_tables import CUSTOM_VALUES, WORLD_TABLES, WorldTable

_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_TEXT = {"type": "string"}
_SCALAR = {"type": ["string", "integer", "number", "boolean", "null"]}

# An outcome: a response name, the word "sane", or an inline body/status.
_ANSWER_HEADERS = {"type": "object", "minProperties": 1, "additionalProperties": _TEXT,
                   "description": "give the headers this answer carries beside the spec's common ones, e.g. "
                                  "Content-Type: text/plain;charset=UTF-8"}

_OUTCOME = {
    "description": "give a response name from 'responses', the word sane, or a mapping with body and status "
                   "(and optionally headers)",
    "oneOf": [
        {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "response": _NAME,
                "body": _TEXT,
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "sane": {"const": True},
                "headers": _ANSWER_HEADERS,
            },
        },
    ]
}

_DOCUMENTED = {
    "type": "object",
    "additionalProperties": False,
    "required": ["source"],
    "properties": {
        "source": _NAME,
        "note": _TEXT,
        "response": _NAME,
        "body": _TEXT,
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "sane": {"const": True},
    },
}

# What a call must leave in a table: the rows ``where`` selects hold ``values`` (and number ``rows``).
_EFFECT = {
    "type": "object", "additionalProperties": False, "required": ["table", "where"],
    "description": "give table, where (column: value) and values (column: value) and/or rows (a count)",
    "properties": {
        "table": _NAME,
        "where": {"type": "object", "minProperties": 1, "additionalProperties": {"type": ["string", "integer"]}},
        "values": {"type": "object", "minProperties": 1,
                   "additionalProperties": {"type": ["string", "integer", "null"]}},
        "rows": {"type": "integer", "minimum": 0},
    },
    "anyOf": [{"required": ["values"]}, {"required": ["rows"]}],
}
_EFFECTS = {"type": "array", "minItems": 1, "items": _EFFECT}

# The reference answer of older (or newer) upstream builds, where it differs from the one verified.
_BUILD = r"^[0-9]+\.[0-9]+-[0-9]+$"
_BY_BUILD = {
    "type": "object", "additionalProperties": False,
    "description": "give since and/or until (a version like 2.14-80, both ends included) and the answer",
    "anyOf": [{"required": ["since"]}, {"required": ["until"]}],
    "properties": {
        "since": {"type": "string", "pattern": _BUILD},
        "until": {"type": "string", "pattern": _BUILD},
        "response": _NAME,
        "body": _TEXT,
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "note": _TEXT,
        "effects": _EFFECTS,
    },
}

# What an answer or a case changes on the host (a text naming it), or false: nothing.
_WRITES = {"description": "give what it changes on the host (e.g. \"the agent's external_recording\"), or false",
           "oneOf": [{"type": "string", "minLength": 1}, {"const": False}]}

_CONSTRAINT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rule", "source", "base"],
    "properties": {
        "rule": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "length": {
                    "type": "object",
                    "additionalProperties": False,
                    "minProperties": 1,
                    "properties": {"min": {"type": "integer", "minimum": 0},
                                   "max": {"type": "integer", "minimum": 0}},
                },
                "enum": {"type": "array", "items": _TEXT, "minItems": 1},
                "charset": _TEXT,
                "format": _TEXT,
                "required": {"const": True},
                "padded": {"description": "write padded: trailing, padded: leading or padded: [trailing, leading]",
                           "oneOf": [{"enum": ["trailing", "leading"]},
                                     {"type": "array", "items": {"enum": ["trailing", "leading"]},
                                      "minItems": 1, "uniqueItems": True}]},
                "mixed_case": {"const": True},
            },
        },
        "source": _NAME,
        "enforced": {"type": "boolean"},
        "note": _TEXT,
        "base": _NAME,
        "sample": _TEXT,
        "outside_samples": {"type": "array", "minItems": 1, "items": {
            "description": "give a value, or {value: VALUE, outside: RESPONSE} when this value has its own answer "
                           "(and effects: when that answer leaves something of its own; writes: when an inline "
                           "answer changes something else than the base case, or nothing)",
            "oneOf": [_TEXT, {"type": "object", "additionalProperties": False, "required": ["value", "outside"],
                              "properties": {"value": _TEXT, "outside": _OUTCOME, "effects": _EFFECTS,
                                             "writes": _WRITES,
                                             "builds": {"type": "array", "minItems": 1, "items": _BY_BUILD}}}]}},
        "within": _OUTCOME,
        "outside": _OUTCOME,
        "documented_outside": _DOCUMENTED,
    },
}

_CASE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "why", "expect"],
    "properties": {
        "name": _NAME,
        "why": _TEXT,
        "writes": _WRITES,
        "effects": _EFFECTS,
        "effects_unchecked": {"type": "string", "minLength": 1,
                              "description": "give why the state this case leaves cannot be read, e.g. "
                                             "\"the call is placed by the agent screen, not stored\""},
        "world": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "api": _NAME,
                "agent": _NAME,
                "agent_log": {"const": True},
                "custom_tables": {"type": "array", "minItems": 1, "items": {"type": ["integer", "string"]},
                                  "description": "give the list ids whose custom_<list_id> table the case reads"},
                "tables": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _NAME,
                           "description": "name the optional tables (conformance/tables/schema.py) this case "
                                          "alone reads, e.g. [vicidial_list_archive]: skipped on a host without one"},
                "settings": {"type": "object", "additionalProperties": _SCALAR},
            },
        },
        "request": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        "send": {
            "type": "object",
            "additionalProperties": False,
            "description": "give method (GET, POST or another), query (the query string byte for byte) and/or body "
                           "(the POST body byte for byte, with its content_type when not a urlencoded form)",
            "properties": {"method": {"type": "string", "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
                                      "description": "give an HTTP method: GET, POST, HEAD, PUT, ..."},
                           "query": {"type": "string"},
                           "body": {"type": "string"}, "content_type": {"type": "string", "minLength": 1},
                           "path": {"type": "string", "pattern": "^/",
                                    "description": "give the path byte for byte, e.g. /agc/api.php/more"}},
        },
        "vars": {"type": "object", "additionalProperties": _TEXT},
        "expect": {
            "type": "object",
            "additionalProperties": False,
            "required": ["reference"],
            "properties": {
                "reference": _OUTCOME,
                "builds": {"type": "array", "minItems": 1, "items": _BY_BUILD},
                "documented": {"description": "give a mapping with source and response/body, or a list of them",
                               "oneOf": [_DOCUMENTED, {"type": "array", "items": _DOCUMENTED, "minItems": 1}]},
            },
        },
    },
}

_RESPONSE = {
    "description": "give the body text, or a mapping with body (and optionally status, fields, headers, note)",
    "oneOf": [
        _TEXT,
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["body"],
            "properties": {
                "body": _TEXT,
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "fields": {"type": "array", "items": _TEXT},
                "headers": _ANSWER_HEADERS,
                "note": _TEXT,
                "writes": {"type": "string", "minLength": 1,
                           "description": "give what this answer means the host changed, e.g. "
                                          "\"vicidial_live_agents.external_pause_code of the agent\""},
                "disturbs": {
                    "type": "object", "additionalProperties": False, "required": ["what", "columns"],
                    "description": "give what this answer means for the whole host beyond the harness's rows (what:) "
                                   "and the columns of the host's own rows it sets, with the value it sets "
                                   "(columns: {TABLE: {COLUMN: VALUE}})",
                    "properties": {
                        "what": {"type": "string", "minLength": 1},
                        "columns": {"type": "object", "minProperties": 1, "propertyNames": _NAME,
                                    "additionalProperties": {"type": "object", "minProperties": 1,
                                                             "propertyNames": _NAME,
                                                             "additionalProperties": _TEXT}},
                    },
                },
                "effects": _EFFECTS,
            },
        },
    ]
}

SPEC_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["vicicert", "api", "function", "endpoint", "sources", "responses", "cases"],
    "properties": {
        "vicicert": {"const": "spec/1"},
        "api": {"enum": ["agent_api", "non_agent_api"]},
        "function": _NAME,
        "endpoint": {"type": "string", "pattern": "^/"},
        "summary": _TEXT,
        "needs_tables": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _NAME,
                         "description": "name the optional tables (conformance/tables/schema.py) the function "
                                        "reads, e.g. [vicidial_list_archive]: its cases are skipped on a host "
                                        "without one"},
        "profiles": {"type": "array", "uniqueItems": True,
                     "items": {"type": "string", "pattern": "^[A-Z][A-Za-z -]{2,40}$"},
                     "description": "name the certification profiles the function belongs to beyond its API's "
                                    "own, e.g. [Agent call control]"},
        "headers": {"type": "object", "minProperties": 1, "additionalProperties": _TEXT,
                    "description": "give the headers every answer carries, e.g. Content-Type: text/html"},
        "sources": {"type": "object", "minProperties": 1, "additionalProperties": _TEXT,
                    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}},
        "defaults": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
        "parameters": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "doc": _TEXT,
                    "filter": _TEXT,
                    "constraints": {"type": "array", "items": _CONSTRAINT},
                },
            },
        },
        "patterns": {"type": "object", "additionalProperties": _TEXT},
        "responses": {"type": "object", "minProperties": 1, "additionalProperties": _RESPONSE,
                      "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}},
        "cases": {"type": "array", "items": _CASE},
    },
}

_ROW = {"type": "object", "additionalProperties": _SCALAR}
# An API user or agent: its login, and a password given directly or by environment variable.
_ACCOUNT = {
    "type": "object", "required": ["user"], "additionalProperties": _SCALAR,
    "properties": {
        "user": {"type": ["string", "integer"], "description": "give the login name, e.g. user: \"vcrt1001\""},
        "pass": {"type": ["string", "integer"]},
        "pass_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                     "description": "give the name of an environment variable, e.g. pass_env: VICIDIAL_PASS"},
    },
}

# An agent: an account, and a live-agent state from vicidial_live_agents.status's ENUM.
AGENT_STATES = ("READY", "QUEUE", "INCALL", "PAUSED", "CLOSER", "MQUEUE")
_AGENT = {**_ACCOUNT, "properties": {**_ACCOUNT["properties"], "status": {"enum": list(AGENT_STATES)}}}


def _section_schema(declared: WorldTable) -> dict:
    """A world section: rows of the table's columns (and ``agent:``, a role, where rows belong to an agent)."""
    columns = [column.name for column in TABLES[declared.table].columns]
    if declared.layout == "columns":
        return {"type": "object", "additionalProperties": False, "required": ["columns", "rows"],
                "properties": {
                    "columns": {"type": "array", "minItems": 1, "items": {"enum": columns}},
                    "rows": {"type": "array", "items": {"type": "array", "items": _SCALAR}}}}
    names = columns + ["role"] + (["agent"] if declared.agent_column else [])
    return {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                       "properties": {name: _SCALAR for name in names}}}


WORLD_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["vicicert"],
    "properties": {
        "vicicert": {"const": "world/1"},
        "description": _TEXT,
        "settings": _ROW,
        "api_users": {"type": "object", "additionalProperties": _ACCOUNT},
        "agents": {"type": "object", "additionalProperties": _AGENT},
        **{declared.section: _section_schema(declared) for declared in WORLD_TABLES if declared.section},
        CUSTOM_VALUES: {"type": "array", "items": {
            "type": "object", "required": ["list_id", "lead_id"], "additionalProperties": _SCALAR,
            "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$",
                              "description": "give list_id, lead_id and the list's custom field labels"}}},
    },
}

EXPECTATIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["vicicert"],
    "properties": {
        "vicicert": {"const": "expectations/1"},
        "description": _TEXT,
        "cases": {
            "type": ["object", "null"],
            "propertyNames": {"pattern": "^[a-z_]+::[a-z0-9_]+::[A-Za-z0-9_]+$",
                              "description": "give a case id as reports show it: api::function::case"},
            "additionalProperties": {
                "type": "object", "additionalProperties": False, "required": ["expect"],
                "properties": {
                    "expect": {"enum": ["fail", "skip", "flaky"]},
                    "kind": _TEXT,
                    "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$",
                                    "description": "16 hex digits, as --update-expectations writes them"},
                    "difference": _TEXT,
                    "reason": _TEXT,
                    "link": _TEXT,
                },
            },
        },
    },
}
