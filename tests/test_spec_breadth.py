"""What every function's spec must reach beyond its own branches (issue 21).

Each Agent API function answers format=debug inside its HTML page and runs in non-Latin mode, so
each Agent spec has a case of both.

Every function that looks text up has a padded-text case: upstream compares under utf8_unicode_ci
(PAD SPACE), so a key with trailing spaces finds the same row, and a host comparing byte for byte
would not. A parameter looks text up when some explicit case of the spec sends it as exactly a text
key of the world: a placeholder of a text key column (``{agent.user}``, ``{role.R.user}``,
``{leads.R.vendor_lead_code}``, ``{campaigns.R.campaign_id}``, ... see TEXT_KEYS) or a literal equal
to the id of a campaign, in-group, user group, filter phone group or group alias of the embedded
world. user, pass, source and function are left out: the preamble specs cover them. Its padded case
is any case, explicit or generated (a ``padded`` constraint rule), that sends the parameter as a text
followed by spaces (a key of the world, or one the case's own rows hold, such as a DNC entry's campaign).
"""

from __future__ import annotations

import re

import pytest

from conformance.bundle import EMBEDDED_WORLD, SPECS_DIR
from conformance.spec import Spec, load_specs
from conformance.world import load_world

SPECS = load_specs(SPECS_DIR)
AGENT_SPECS = [spec for spec in SPECS if spec.api == "agent_api"]
PREAMBLE_PARAMS = {"user", "pass", "source", "function"}
TEXT_KEYS = ("user", "vendor_lead_code", "campaign_id", "group_alias_id", "user_group", "group_id",
             "filter_phone_group_id", "alias_id")
TEXT_KEY_PLACEHOLDER = re.compile(r"\{(?:[a-z_]+\.)?(?:[A-Za-z0-9_]+\.)?(?:%s)\}" % "|".join(TEXT_KEYS))
WORLD_ID_COLUMNS = {"campaigns": "campaign_id", "inbound_groups": "group_id", "user_groups": "user_group",
                    "filter_phone_groups": "filter_phone_group_id", "group_aliases": "group_alias_id",
                    "phone_aliases": "alias_id"}


def world_ids(world) -> set[str]:
    """The embedded world's text ids (numbers compare as numbers, so they are not text keys)."""
    return {str(row[column]) for section, column in WORLD_ID_COLUMNS.items() for row in world.section(section)
            if row.get(column) is not None and not str(row[column]).isdigit()}


IDS = world_ids(load_world(EMBEDDED_WORLD))


def is_text_key(source: str) -> bool:
    return bool(TEXT_KEY_PLACEHOLDER.fullmatch(source)) or source in IDS


def text_lookups(spec: Spec) -> set[str]:
    """The parameters some explicit case sends as exactly a text key of the world."""
    return {name for case in spec.cases if not case.generated for name, template in case.request
            if template is not None and name not in PREAMBLE_PARAMS and is_text_key(template.source)}


def padded(spec: Spec) -> set[str]:
    """The parameters some case sends as a text followed by spaces."""
    return {name for case in spec.cases for name, template in case.request
            if template is not None and template.source.strip(" ") and template.source != template.source.rstrip(" ")}


def sends(case, name: str, value: str) -> bool:
    return any(key == name and template is not None and template.source == value for key, template in case.request)


def test_the_agent_api_specs_are_all_here():
    assert len(AGENT_SPECS) >= 22


@pytest.mark.parametrize("spec", AGENT_SPECS, ids=lambda spec: spec.function)
def test_every_agent_api_function_has_a_debug_page_case(spec):
    assert [case.name for case in spec.cases if sends(case, "format", "debug")], \
        f"{spec.path}: add a case with request {{format: debug}} (the page's head, statements by pattern, answer, end)"


@pytest.mark.parametrize("spec", AGENT_SPECS, ids=lambda spec: spec.function)
def test_every_agent_api_function_has_a_non_latin_case(spec):
    assert [case.name for case in spec.cases if str(case.settings.get("use_non_latin")) == "1"], \
        f"{spec.path}: add a case with world settings {{use_non_latin: \"1\"}} (the other character filters)"


def missing_padded(spec: Spec) -> set[str]:
    return text_lookups(spec) - padded(spec)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec.api}/{spec.function}")
def test_every_text_lookup_has_a_padded_case(spec):
    missing = sorted(missing_padded(spec))
    assert not missing, (f"{spec.path}: {', '.join(missing)} looked up as text without a padded case; add to each "
                         "parameter a constraint {rule: {padded: [trailing, leading]}, source, base, within, outside} "
                         "(ARCHITECTURE.md, spec format)")


UNPADDED = """\
vicicert: spec/1
api: agent_api
function: pause_code
endpoint: /agc/api.php
sources:
  code: api.php
defaults: {function: pause_code, value: BREAK, agent_user: "{agent.user}"}
responses:
  success: "SUCCESS: pause_code function sent - {agent_user}\\n"
parameters:
  agent_user:
    constraints:
      - RULE
        source: code
        base: happy
        within: success
        outside: success
cases:
  - name: happy
    why: the happy path
    world: {agent: agent_paused}
    expect: {reference: success}
"""


def test_a_spec_without_a_padded_case_is_caught(tmp_path):
    (tmp_path / "pause_code.yaml").write_text(UNPADDED.replace("RULE", "rule: {required: true}"))
    (spec,) = load_specs(tmp_path)
    assert missing_padded(spec) == {"agent_user"}
    (tmp_path / "pause_code.yaml").write_text(UNPADDED.replace("RULE", "rule: {padded: trailing}"))
    (spec,) = load_specs(tmp_path)
    assert missing_padded(spec) == set()
    assert [case.name for case in spec.cases if case.generated] == ["agent_user_padded_trailing"]


def test_the_world_ids_are_read():
    assert {"VCERTA", "VCERTFPG1", "vcrtGA1"} <= IDS
