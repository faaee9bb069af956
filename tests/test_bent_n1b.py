"""list_info, list_custom_fields, lead_field_info and lead_all_info: each spec catches a reference
host whose handler is bent (a module name of the handler patched), naming the case that breaks."""

from __future__ import annotations

import pytest

from conformance.client import Target
from conformance.execution import run_case
from conformance.host.registry import functions
from conformance.redaction import Redactor
from conformance.tables.provisioning import custom_rows, custom_tables, world_rows
from conformance.tables.restore import RowRestorer

from targets import MisbehavingHandler


def unchanged(request, answer):
    return answer


class Keeper:
    """Puts the handler's database back to the world before each case, with the case's settings
    and the lists' custom tables, as the embedded host does."""

    def __init__(self, database):
        self.database = database
        self.restorer = RowRestorer(database)   # after the first fill, only what a case wrote is put back

    def reset(self, world, settings):
        self.restorer.restore({**world_rows(world, settings), **custom_rows(world)}, custom_tables(world))

    def after_case(self):
        pass

    def rows(self, table, columns, where):
        return self.database.select_rows(table, columns, where)

    def missing_tables(self, tables):
        return None


@pytest.fixture(scope="module")
def kept_handler(tmp_path_factory, vicidial_world):
    """The module's handler and its keeper: filled once, each case's writes put back before the next
    (the handler's module is what a test bends, through its registration)."""
    handler = MisbehavingHandler(tmp_path_factory.mktemp("bent") / "bent.sqlite", vicidial_world, unchanged,
                                 reset_each_request=False)
    return handler, Keeper(handler.database)


@pytest.fixture
def check(httpserver, kept_handler, vicidial_world, vicidial_specs):
    """check(function, case) -> CaseResult of that case against the (possibly patched) reference host."""
    handler, keeper = kept_handler
    httpserver.expect_request("/vicidial/non_agent_api.php").respond_with_handler(handler)
    target = Target(httpserver.url_for("/").rstrip("/"), timeout=10)

    def run(function, name):
        case = next(c for c in vicidial_specs[f"non_agent_api/{function}"].cases if c.name == name)
        return run_case(case, target, vicidial_world, "reference", Redactor(vicidial_world.secrets), keeper)
    return run


@pytest.fixture
def swap():
    """swap(frozen, attribute, value): set an attribute of a frozen dataclass (a registered
    function's handler, its gate's level) for the test, put back afterwards."""
    undo = []

    def set_(frozen, attribute, value):
        undo.append((frozen, attribute, getattr(frozen, attribute)))
        object.__setattr__(frozen, attribute, value)
    yield set_
    for frozen, attribute, value in reversed(undo):
        object.__setattr__(frozen, attribute, value)


def registered(function):
    return functions("non_agent_api")[function]


LIST_INFO = "conformance.host.non_agent.list_info"


@pytest.mark.parametrize("name", ["docs_example", "csv_with_counts", "group_campaigns_limit_lookup",
                                  "dialable_count_inactive_list", "level8_passes"])
def test_list_info_honest_host_passes(check, name):
    assert check("list_info", name).status == "passed"


def test_list_info_wrong_delimiter_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.delimiter", lambda stage: "|")
    assert check("list_info", "csv_with_counts").status == "failed"
    assert check("list_info", "list_a_plain").status == "passed"


def test_list_info_ignoring_the_groups_campaigns_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.allowed_campaigns", lambda db, group: None)
    assert check("list_info", "group_campaigns_limit_lookup").status == "failed"


def test_list_info_dialable_count_of_an_inactive_list_is_held(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.dialable_count", lambda *args: "2")
    assert check("list_info", "dialable_count_inactive_list").status == "failed"


def test_list_info_gate_at_level_seven_is_caught(check, swap):
    gate = functions("non_agent_api")["list_info"].gate
    swap(gate, "level", (">=", 7))
    assert check("list_info", "level7_refused").status == "failed"


def test_list_info_text_comparison_of_the_id_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LIST_INFO}.number", lambda text: text)   # SQLite then compares text with an integer
    assert check("list_info", "list_id_charset_9990201abc_1").status == "failed"



LIST_CUSTOM_FIELDS = "conformance.host.non_agent.list_custom_fields"


@pytest.mark.parametrize("name", ["docs_example", "every_list_sorted_carries_fields_over", "sort_before_any_table_dies",
                                  "custom_fields_disabled_before_gate", "every_list_of_the_groups_campaign"])
def test_list_custom_fields_honest_host_passes(check, name):
    assert check("list_custom_fields", name).status == "passed"


def test_list_custom_fields_sorted_table_order_is_caught(check, monkeypatch):
    from conformance.host.non_agent import list_custom_fields as module
    real = module._columns
    monkeypatch.setattr(f"{LIST_CUSTOM_FIELDS}._columns", lambda call, table: sorted(real(call, table)))
    assert check("list_custom_fields", "docs_example").status == "failed"


def test_list_custom_fields_a_fresh_field_list_per_list_is_caught(check, swap):
    """A host that empties the sorted field list between lists (as the docs read) is not upstream."""
    real = registered("list_custom_fields").handler

    def fresh_per_list(call):
        if call.p["list_id"] == "---ALL---" and call.p["custom_order"]:
            return ("9990201|vicicert list A|VCERTA|Y|2000-06-01 09:00:00|2000-06-01 10:00:00|vc_code vc_color "
                    "vc_notes vc_size\n9990202|vicicert list L|VCERTL|N|2000-06-01 09:00:00|2000-06-01 10:00:00|\n")
        return real(call)
    swap(registered("list_custom_fields"), "handler", fresh_per_list)
    result = check("list_custom_fields", "every_list_sorted_carries_fields_over")
    assert result.status == "failed" and result.matched_sources == ["docs"]


def test_list_custom_fields_switch_after_the_gate_is_caught(check, swap):
    from conformance.host.non_agent.list_custom_fields import GATE
    real = registered("list_custom_fields").handler

    def gate_first(call):
        return GATE.refuse(call.db, "list_custom_fields", call.p["user"]) or real(call)
    swap(registered("list_custom_fields"), "handler", gate_first)
    assert check("list_custom_fields", "custom_fields_disabled_before_gate").status == "failed"


def test_list_custom_fields_sorting_nothing_without_dying_is_caught(check, swap):
    from conformance.host.php import PhpFatal
    real = registered("list_custom_fields").handler

    def survives(call):
        try:
            return real(call)
        except PhpFatal:
            return "9990202|vicicert list L|VCERTL|N|2000-06-01 09:00:00|2000-06-01 10:00:00|\n"
    swap(registered("list_custom_fields"), "handler", survives)
    assert check("list_custom_fields", "sort_before_any_table_dies").status == "failed"


LEAD_FIELD_INFO = "conformance.host.non_agent.lead_field_info"


@pytest.mark.parametrize("name", ["docs_example", "decimal_field", "custom_value_hidden", "unknown_field_dies",
                                  "list_outside_group_campaigns", "modify_leads_5_refused"])
def test_lead_field_info_honest_host_passes(check, name):
    assert check("lead_field_info", name).status == "passed"


def test_lead_field_info_a_line_end_is_caught(check, swap):
    real = registered("lead_field_info").handler
    swap(registered("lead_field_info"), "handler", lambda call: real(call) + "\n")
    result = check("lead_field_info", "standard_field")
    assert result.status == "failed" and [m.kind for m in result.reference.mismatches] == ["ExtraTrailingNewline"]


def test_lead_field_info_an_unknown_field_answered_politely_is_caught(check, monkeypatch):
    monkeypatch.setattr(f"{LEAD_FIELD_INFO}.field_column", lambda call, table, name: "lead_id")
    assert check("lead_field_info", "unknown_field_dies").status == "failed"


def test_lead_field_info_hiding_standard_fields_too_is_caught(check, swap, vicidial_world):
    real = registered("lead_field_info").handler
    hider = vicidial_world.api_users["api_hides_lead_data"]["user"]

    def hides_all(call):
        answer = real(call)
        return "X" * len(answer) if call.p["user"] == hider else answer
    swap(registered("lead_field_info"), "handler", hides_all)
    assert check("lead_field_info", "standard_value_not_hidden").status == "failed"


def test_lead_field_info_gate_taking_modify_leads_5_is_caught(check, swap):
    gate = registered("lead_field_info").gate
    swap(gate, "flags", {"vdc_agent_api_access": ("1",), "modify_leads": ("1", "2", "3", "4", "5")})
    assert check("lead_field_info", "modify_leads_5_refused").status == "failed"


LEAD_ALL_INFO = "conformance.host.non_agent.lead_all_info"


@pytest.mark.parametrize("name", ["docs_example_custom_fields", "phone_two_leads_newest_first", "newline_stage",
                                  "phone_restricted_user_says_so_first", "custom_fields_of_a_list_without_any_die",
                                  "modify_leads_6_refused"])
def test_lead_all_info_honest_host_passes(check, name):
    assert check("lead_all_info", name).status == "passed"


def test_lead_all_info_a_dropped_column_is_caught(check, monkeypatch):
    from conformance.host.non_agent.lead_all_info import COLUMNS
    monkeypatch.setattr(f"{LEAD_ALL_INFO}.COLUMNS", tuple(column for column in COLUMNS if column != "owner"))
    assert check("lead_all_info", "docs_example_lead_id").status == "failed"


def test_lead_all_info_custom_fields_in_table_order_are_caught(check, monkeypatch):
    from conformance.host.non_agent import lead_all_info as module
    real = module._custom

    def table_order(call, entry, lead_id, printed):
        labels, values = real(call, entry, lead_id, printed)
        pairs = sorted(zip(labels, values), key=lambda pair: ["vc_color", "vc_notes", "vc_size", "vc_code"].index(pair[0]))
        return [label for label, _ in pairs], [value for _, value in pairs]
    monkeypatch.setattr(f"{LEAD_ALL_INFO}._custom", table_order)
    assert check("lead_all_info", "docs_example_custom_fields").status == "failed"


def test_lead_all_info_one_header_for_all_leads_is_caught(check, swap):
    real = registered("lead_all_info").handler

    def one_header(call):
        lines = real(call).splitlines(keepends=True)
        return "".join(line for index, line in enumerate(lines) if index == 0 or not line.startswith("status|"))
    swap(registered("lead_all_info"), "handler", one_header)
    assert check("lead_all_info", "phone_two_leads_newest_first").status == "failed"


def test_lead_all_info_oldest_first_is_caught(check, monkeypatch):
    from conformance.tables.database import Database
    real = Database.all

    def oldest_first(self, sql, *params):
        return real(self, sql.replace("ORDER BY lead_id DESC", "ORDER BY lead_id"), *params)
    monkeypatch.setattr(Database, "all", oldest_first)
    assert check("lead_all_info", "phone_outside_group_left_out").status == "passed"   # one lead: order unseen
    assert check("lead_all_info", "phone_restricted_user_says_so_first").status == "passed"
    assert check("lead_all_info", "phone_two_leads_newest_first").status == "failed"


def test_lead_all_info_silent_restricted_user_is_caught(check, swap):
    real = registered("lead_all_info").handler

    def silent(call):
        return "".join(line for line in real(call).splitlines(keepends=True)
                       if not line.endswith("|3125550194\n") or not line.startswith("ERROR"))
    swap(registered("lead_all_info"), "handler", silent)
    assert check("lead_all_info", "phone_restricted_user_says_so_first").status == "failed"


def test_lead_all_info_gate_without_view_reports_is_caught(check, swap):
    gate = registered("lead_all_info").gate
    swap(gate, "flags", {"vdc_agent_api_access": ("1",), "modify_leads": ("1", "2", "3", "4", "5")})
    assert check("lead_all_info", "no_view_reports_refused").status == "failed"
