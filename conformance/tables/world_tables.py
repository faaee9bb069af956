"""What a world puts in each upstream table: declared once per table, in insert order.

Everything else derives from these declarations: the world file's sections and their schema,
the rows provisioning writes, and in SQL fixture mode the checked tables, the grants needed,
the predicates that find the harness's rows, the counters to restore and the ids to remap.
A function that needs new state adds its table to ``schema.TABLES`` and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import TABLES

NAMESPACE = "namespace"   # harness users: the run's namespace, vcrt... by default
CAMPAIGN = "campaign"     # harness campaigns and what hangs off them: VCERT...
CAMPAIGN_PREFIX = "VCERT"
HARNESS = "harness"       # rows naming a harness user (the namespace) or group or campaign (VCERT...)
# Any other prefix is literal: the same text marks the harness's rows whatever the namespace.
# Phone numbers no prefix of the namespace can mark (DNC and filter-group entries): a fictional range.
PHONE_PREFIX = "31255501"
PHONE_RANGE = ("phone_number", 3_125_550_100, 3_125_550_199)
# The harness's servers: TEST-NET-1 (RFC 5737), addresses for documentation that no real server has.
TEST_NET_PREFIX = "192.0.2."
# The harness's servers rows: 192.0.2.4x, all switched off. 192.0.2.15, where the world's agents
# sit, is the embedded host's own active server (provisioning.INSTALLED_ROWS), never written on a
# real host.
SERVER_ROW_PREFIX = "192.0.2.4"
# Caller codes (call ids) of the harness's calls: the call type's letters, then CERT. VICIdial's own
# are the type's letters then digits, so no host's code starts with one of these.
CALLER_CODE_PREFIXES = tuple(f"{kind}CERT" for kind in ("V", "M", "Y", "J", "S", "DC", "LP", "VH", "XL"))


@dataclass(frozen=True)
class WorldTable:
    """One table's rows in a world.

    ``section``: the world file's list of rows for it (None: rows come from the roles).
    ``owner``: the column whose prefix marks the harness's rows (None: the host's own rows,
    which the harness never writes on a real host).
    ``prefix``: NAMESPACE (the run's), CAMPAIGN (VCERT...), HARNESS (either), a literal prefix, or a
    tuple of literal prefixes.
    ``echoed_in``: world columns that name one of this table's database-assigned ids; the
    world's id is a placeholder, replaced by the id the database gave the row.
    ``agent_column``: rows may name an agent role (``agent:``) for that agent's user in this column.
    ``layout``: "rows" (a list of mappings) or "columns" (``columns:`` once, then ``rows:`` of values).
    ``reserved``: (column, low, high): a key no prefix can mark (a number) that harness rows take
    from a fictional range; SQL fixture mode refuses a host holding any row in it.
    ``ids_from``: the table whose database-assigned id gives each row its key (same column name):
    in SQL fixture mode a row whose key is no placeholder of that table's rows borrows an id from
    its counter (a row put in there and taken out again), so copying the row back into that table
    never pushes a real host's counter, as a reserved high id would.
    Rows of a "rows" section may carry ``role:``, a name for the row: cases then name its columns as
    ``{<section>.<role>.<column>}`` (``{leads.lead_new.lead_id}``), assigned ids included.
    """

    table: str
    section: str | None
    owner: str | None = None
    prefix: str | tuple[str, ...] = NAMESPACE   # a tuple: literal prefixes, any of which marks a row
    echoed_in: tuple[str, ...] = ()
    agent_column: str | None = None
    layout: str = "rows"
    reserved: tuple[str, int, int] | None = None
    ids_from: str | None = None

    @property
    def assigned_id(self) -> str | None:
        """The column the database assigns (AUTO_INCREMENT), left out of every insert."""
        return next((column.name for column in TABLES[self.table].columns if column.auto_increment), None)


WORLD_TABLES: tuple[WorldTable, ...] = (
    # The harness's servers, by their TEST-NET-1 address (192.0.2.4x, which no real server has):
    # server_refresh sets a flag on every servers row, and only the harness's may start unset.
    WorldTable("servers", "servers", owner="server_ip", prefix=SERVER_ROW_PREFIX),
    WorldTable("vicidial_users", None, owner="user"),
    WorldTable("vicidial_user_groups", "user_groups", owner="user_group", prefix=CAMPAIGN),
    WorldTable("vicidial_campaigns", "campaigns", owner="campaign_id", prefix=CAMPAIGN),
    # Lists hang off harness campaigns; their ids (the key) are checked free on a real host.
    WorldTable("vicidial_lists", "lists", owner="campaign_id", prefix=CAMPAIGN,
               reserved=("list_id", 9_990_000, 9_999_999)),
    WorldTable("vicidial_pause_codes", "pause_codes", owner="campaign_id", prefix=CAMPAIGN),
    # System-wide statuses belong to no user or campaign, and their key (status) is six characters:
    # too short for a prefix no host could use, and a cleanup by such a prefix could delete a
    # host's own status. So the name marks them: status_name (30 characters) starts with
    # "vicicert". The prefix is fixed, not the namespace, because the key does not follow
    # --namespace: a leftover of a run under any namespace must be seen (and refused) before the
    # same key is inserted again. A key the host already uses is refused before writing (sql_fixture).
    WorldTable("vicidial_statuses", "statuses", owner="status_name", prefix="vicicert"),
    WorldTable("vicidial_campaign_statuses", "campaign_statuses", owner="campaign_id", prefix=CAMPAIGN),
    # Harness leads carry a vendor_lead_code in the namespace; their lead_id is the database's.
    WorldTable("vicidial_list", "leads", owner="vendor_lead_code", echoed_in=("lead_id", "preview_lead_id"),
               agent_column="user"),
    WorldTable("recording_log", "recordings", owner="user", echoed_in=("recording_id", "external_recording"),
               agent_column="user"),
    # A live agent's agent_log_id names its open agent-log row (agent_status reads its sub_status),
    # so the log goes first and its assigned ids follow into the agents' rows.
    WorldTable("vicidial_agent_log", "agent_log", owner="user", echoed_in=("agent_log_id",), layout="columns"),
    WorldTable("vicidial_live_agents", None, owner="user"),
    # external_dial: caller ids by group alias, in-groups to dial as, and the agents' manual dial queues.
    # add_group_alias: the aliases its cases add are named after the API user, so in the namespace too.
    WorldTable("groups_alias", "group_aliases", owner="group_alias_id"),
    WorldTable("vicidial_inbound_groups", "inbound_groups", owner="group_id", prefix=CAMPAIGN),
    WorldTable("vicidial_manual_dial_queue", "manual_dial_queue", owner="user", agent_column="user"),
    # lead_callback_info and hopper_list: rows of harness campaigns, naming harness leads (lead_id
    # follows the id the database gave the lead; archived callbacks' ids are in a reserved range)
    WorldTable("vicidial_callbacks", "callbacks", owner="campaign_id", prefix=CAMPAIGN, agent_column="user"),
    WorldTable("vicidial_callbacks_archive", "callbacks_archive", owner="campaign_id", prefix=CAMPAIGN,
               agent_column="user"),
    WorldTable("vicidial_hopper", "hopper", owner="campaign_id", prefix=CAMPAIGN),
    # A list's custom fields, named (field_name) "vicicert ..." like the system-wide statuses: the key
    # (list_id, field_label) holds a list id of the reserved range, checked free before writing.
    # Their values live in each list's custom_<list_id> table (CUSTOM_VALUES below).
    WorldTable("vicidial_lists_fields", "list_fields", owner="field_name", prefix="vicicert"),
    # The real-time tables (agent_status, logged_in_agents, user_group_status, in_group_status).
    # A live call and a parked call are the harness's by their caller id, which starts with VCERT
    # (the agents' callerid names them); chats by their creator, the agent; a chat message by its
    # poster, the agent, and its chat_id follows the chat's assigned id; in-group memberships and
    # login-log rows by the agent's user.
    WorldTable("vicidial_auto_calls", "auto_calls", owner="callerid", prefix=CAMPAIGN_PREFIX, agent_column="agent_only"),
    WorldTable("parked_channels", "parked_channels", owner="channel_group", prefix=CAMPAIGN_PREFIX),
    WorldTable("vicidial_live_chats", "live_chats", owner="chat_creator", echoed_in=("chat_id",),
               agent_column="chat_creator"),
    WorldTable("vicidial_chat_log", "chat_log", owner="poster", agent_column="poster"),
    WorldTable("vicidial_live_inbound_agents", "live_inbound_agents", owner="user", agent_column="user"),
    WorldTable("vicidial_user_log", "user_log", owner="user", agent_column="user"),
    # vm_message: a lead's messages, the harness's by the API user who left them
    WorldTable("vicidial_lead_messages", "lead_messages", owner="user"),
    # container_list: settings containers named VCERT... (send_notification's CONFETTI_SETTINGS is a
    # fresh install's, provisioning.INSTALLED_ROWS); send_notification: the notifications queued for a
    # harness user, user group or campaign, the harness's by their recipient
    WorldTable("vicidial_settings_containers", "settings_containers", owner="container_id", prefix=CAMPAIGN),
    WorldTable("vicidial_agent_notifications", "agent_notifications", owner="recipient", prefix=HARNESS),
    # webphone_url: agent sessions, by their agent; calls_in_queue_count: queued emails, by their
    # in-group (VCERT...)
    WorldTable("vicidial_session_data", "sessions", owner="user", agent_column="user"),
    WorldTable("vicidial_email_list", "emails", owner="group_id", prefix=CAMPAIGN),
    # add_dnc_phone, delete_dnc_phone, add_fpg_phone, delete_fpg_phone. A DNC or filter-group entry,
    # and a DNC log row, is little more than a phone number: harness rows (the world's and those the
    # functions add) take numbers of the fictional 312-555-0100 to 0199, which the prefix finds and
    # the pre-check wants free on the host; the number, not the campaign or group, marks them, since
    # upstream stores a campaign_id or group as sent (no campaign check, any letter case). Filter
    # phone groups are VCERT...; the admin log rows the functions write are the API user's.
    WorldTable("vicidial_dnc", "dnc", owner="phone_number", prefix=PHONE_PREFIX, reserved=PHONE_RANGE),
    WorldTable("vicidial_campaign_dnc", "campaign_dnc", owner="phone_number", prefix=PHONE_PREFIX,
               reserved=PHONE_RANGE),
    WorldTable("vicidial_dnc_log", "dnc_log", owner="phone_number", prefix=PHONE_PREFIX, reserved=PHONE_RANGE),
    WorldTable("vicidial_filter_phone_groups", "filter_phone_groups", owner="filter_phone_group_id",
               prefix=CAMPAIGN),
    WorldTable("vicidial_filter_phone_numbers", "filter_phone_numbers", owner="phone_number", prefix=PHONE_PREFIX,
               reserved=PHONE_RANGE),
    WorldTable("vicidial_admin_log", "admin_log", owner="user"),
    # hopper_bulk_insert: call times named VCERT... that a harness campaign or list points to
    WorldTable("vicidial_call_times", "call_times", owner="call_time_id", prefix=CAMPAIGN),
    # change_ingroups: the agents' in-group settings (weight, grade, limits), by their agent
    WorldTable("vicidial_inbound_group_agents", "inbound_group_agents", owner="user", agent_column="user"),
    # copy_user: the campaigns a user is ranked in (its copy's rows too), by their user
    WorldTable("vicidial_campaign_agents", "campaign_agents", owner="user", agent_column="user"),
    # ra_call_control, update_log_entry: calls of harness campaigns (vicidial_log) and in-groups
    # (vicidial_closer_log), the harness's by their campaign or in-group (an inbound call's
    # closecallid is the database's; a world placeholder stands for it); and the Asterisk actions it queues
    # (named by the call's caller id with the first four characters made HAPI or XAPI; below).
    # A call's agent may be an agent role (``agent:``), so callid_info finds its agent-log row under any namespace.
    WorldTable("vicidial_log", "call_log", owner="campaign_id", prefix=CAMPAIGN, agent_column="user"),
    WorldTable("vicidial_closer_log", "closer_log", owner="campaign_id", prefix=CAMPAIGN, echoed_in=("closecallid",),
               agent_column="user"),
    # call_agent queues the Originate an agent's session stored at login (the harness's sessions name
    # their caller ids SVCERT..., VICIdial's are S and digits). audio_playback's actions and
    # force_fronter_audio_stop's Hangup name theirs by the clock (PLAYHU, PLAYPA or PLAYRS and the
    # date) or by the audio file, which no prefix can mark; every action names the server of its
    # call or agent, though, and the harness's servers are TEST-NET-1 addresses (192.0.2.x, RFC 5737:
    # documentation only), which no host's Asterisk server has. So the server marks the harness's
    # actions, whoever queued them (the server_ip index keeps the reset's delete a range scan; an
    # OR with another column would scan the table).
    WorldTable("vicidial_manager", "manager_actions", owner="server_ip", prefix=TEST_NET_PREFIX),
    # audio_playback and force_fronter_audio_stop: the channels up on the harness's servers (audio
    # playing in a conference is an IAX2/ASTplay channel with the conference as its extension), by
    # their server like the actions; and the agent screen's debug steps audio_playback logs, by their agent
    WorldTable("live_channels", "live_channels", owner="server_ip", prefix=TEST_NET_PREFIX),
    WorldTable("vicidial_ajax_log", "ajax_log", owner="user", agent_column="user"),
    # did_log_export: calls in on harness DIDs, the harness's by their DID (extension), a number of
    # the fictional 312-555-0100 to 0199 that the pre-check wants free on the host (it is indexed)
    WorldTable("vicidial_did_log", "did_log", owner="extension", prefix=PHONE_PREFIX,
               reserved=("extension", 3_125_550_100, 3_125_550_199)),
    # lead_dearchive: archived leads, the harness's by their vendor_lead_code like the leads. An
    # archived lead's lead_id is a lead's placeholder (the same lead in both tables) or borrowed
    # from vicidial_list's counter (tables/world_tables.py, ids_from).
    WorldTable("vicidial_list_archive", "archived_leads", owner="vendor_lead_code", ids_from="vicidial_list"),
    # callid_info, ccc_lead_info: calls by caller code, the harness's by theirs (CALLER_CODE_PREFIXES)
    WorldTable("vicidial_log_extended", "log_extended", owner="caller_code", prefix=CALLER_CODE_PREFIXES),
    WorldTable("vicidial_dial_log", "dial_log", owner="caller_code", prefix=CALLER_CODE_PREFIXES),
    # add_lead and update_lead (multi_alt_phones): a lead's further numbers, the harness's by the
    # number itself (the fictional 312-555-0100 to 0199, checked free on the host, like DNC entries):
    # the cases give their leads' alt phones numbers of that range
    WorldTable("vicidial_list_alt_phones", "alt_phones", owner="phone_number", prefix=PHONE_PREFIX,
               reserved=PHONE_RANGE),
    # transfer_conference (multi_dial_phones, md_check, tw_check): an agent's multi-dial order and its
    # 3-way calls, by the agent; the SIP channels of a 3-way call by their channel group, a caller id
    # VICIdial makes as DC, the epoch, W, the lead id, W; the harness's start DCVCERT, which no such id can
    WorldTable("vicidial_3way_press_multi", "three_way_multi", owner="user", agent_column="user"),
    WorldTable("vicidial_3way_press_live", "three_way_live", owner="user", agent_column="user"),
    WorldTable("live_sip_channels", "live_sip_channels", owner="channel_group", prefix=("DCVCERT",)),
    # check_phone_number's GMT lookup (host/gmt_lookup.py): phone codes of country codes no country has
    # (280 to 289, spare in ITU-T E.164), which the pre-check wants free on the host, the harness's by
    # their geographic_description ("vicicert ...", like the system-wide statuses' names)
    WorldTable("vicidial_phone_codes", "phone_codes", owner="geographic_description", prefix="vicicert",
               reserved=("country_code", 280, 289)),
    # add_lead's NANPA check and the NANPA time zone method (add_lead, check_phone_number): prefix
    # rows of area codes 100 to 199, which no NANPA number can have (an area code starts with 2 to
    # 9), the harness's by that area code (the table has no column a prefix could mark), which the
    # pre-check wants free on the host. Upstream uses the data only once the table holds 10 rows or
    # more (counted over the whole table), so the world holds 12: every host then behaves alike.
    WorldTable("vicidial_nanpa_prefix_codes", "nanpa_prefix_codes", owner="areacode", prefix="1",
               reserved=("areacode", 100, 199)),
    # the local call time check: state call times named VCERT... that a harness call time names
    WorldTable("vicidial_state_call_times", "state_call_times", owner="state_call_time_id", prefix=CAMPAIGN),
    # moh_list and vm_list: the harness's music on hold classes (and their files), voicemail boxes
    # and phones are VCERT... (a fresh install's own class "default" is provisioning.INSTALLED_ROWS)
    WorldTable("vicidial_music_on_hold", "moh_classes", owner="moh_id", prefix=CAMPAIGN),
    WorldTable("vicidial_music_on_hold_files", "moh_files", owner="moh_id", prefix=CAMPAIGN),
    WorldTable("vicidial_voicemail", "voicemail_boxes", owner="voicemail_id", prefix=CAMPAIGN),
    WorldTable("phones", "phones", owner="extension", prefix=CAMPAIGN),
    # add_phone_alias, update_phone_alias: the aliases (the world's and those the cases add) are
    # named after the API user, so in the namespace
    WorldTable("phones_alias", "phone_aliases", owner="alias_id"),
    # force_fronter_leave_3way, force_fronter_audio_stop: calls fronted on another cluster, the
    # harness's by their container (VCERT...) (the channels live in the fronters' conferences are
    # live_channels above); the fronters' recent sessions, by their agent
    WorldTable("vicidial_ccc_log", "ccc_log", owner="container_id", prefix=CAMPAIGN),
    WorldTable("vicidial_sessions_recent", "sessions_recent", owner="user", agent_column="user"),
    # ... and the URLs called, the harness's by their loopback address and VCERT path, which the
    # harness's containers give (settings_containers above)
    WorldTable("vicidial_url_log", "url_log", owner="url", prefix=("http://127.0.0.1:9/VCERT",)),
    # callmenu_list: call menus named VCERT...
    WorldTable("vicidial_call_menu", "call_menus", owner="menu_id", prefix=CAMPAIGN),
    # update_remote_agent: remote agents, the harness's by the user they start as (user_start), a
    # harness user (an agent role's, or one of the namespace that has no vicidial_users row)
    WorldTable("vicidial_remote_agents", "remote_agents", owner="user_start", agent_column="user_start"),
    # copy_did: the DIDs it copies from and the DIDs its cases copy into are the harness's by their
    # did_pattern, which starts with the namespace (a DID pattern is text: the filter keeps letters).
    # A host's own DIDs (a fresh install's "default") stay outside; did_log_export's DID calls are
    # vicidial_did_log rows by their number and name no DID row.
    WorldTable("vicidial_inbound_dids", "inbound_dids", owner="did_pattern"),
    # update_presets: transfer presets belong to a campaign; the harness's are those of its campaigns
    # (VCERT...), the world's and those its cases add alike
    WorldTable("vicidial_xfer_presets", "xfer_presets", owner="campaign_id", prefix=CAMPAIGN),
)
BY_TABLE = {declared.table: declared for declared in WORLD_TABLES}
SECTIONS = {declared.section: declared for declared in WORLD_TABLES if declared.section}

# Written in SQL fixture mode: the tables that hold harness rows, in insert order.
OWNED = tuple(declared for declared in WORLD_TABLES if declared.owner)

# Columns of the host's own rows (outside the harness's) that a case may change with the run's
# consent (a spec answer's disturbs:, sent to a real target only with --allow-disturbing): SQL
# fixture mode saves them before such a case and puts them back after it, as it does toggled
# system settings. server_refresh sets rebuild_conf_files on every servers row.
HOST_COLUMNS: dict[str, tuple[str, ...]] = {"servers": ("rebuild_conf_files",)}


def owner_prefixes(declared: WorldTable, namespace: str) -> tuple[str, ...]:
    """The prefixes that mark the harness's rows of ``declared`` (one, or two for HARNESS)."""
    if isinstance(declared.prefix, tuple):
        return declared.prefix
    if declared.prefix == HARNESS:
        return namespace, CAMPAIGN_PREFIX
    if declared.prefix == NAMESPACE:
        return (namespace,)
    return (CAMPAIGN_PREFIX if declared.prefix == CAMPAIGN else declared.prefix,)


# The world section of the rows of the lists' custom_<list_id> tables: ``list_id`` names the
# table, ``lead_id`` a harness lead (its placeholder, as in ``leads``), the rest are field labels.
# Such a table has no owner column: its harness rows are those of harness leads. The embedded
# host creates each table from the list's fields; SQL fixture mode only writes into one the
# target already has (a real host's cron account may not CREATE), and skips the cases needing it.
CUSTOM_VALUES = "custom_values"
