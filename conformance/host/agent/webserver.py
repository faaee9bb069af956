"""``webserver``: facts about the web server answering the API, in upstream's layout.

Upstream (www/agc/api.php, webserver block) prints PHP's and Apache's view of the machine;
this host prints its own in the same lines and order, from Python's os, platform, time and
socket modules. The values are real, so only the layout can be compared: each line's label,
their order, the PRE wrapper, and which lines follow when a timezone is configured.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import threading
import time

from ...phpmath import php_str
from ..agent_api import AgentCall
from ..registry import host_function


def _permitted(call: AgentCall) -> bool:
    # This block's refusal echoes no value, unlike the shared permission step's.
    allowed = call.allowed_functions
    if " webserver " in allowed or "ALL_FUNCTIONS" in allowed:
        return True
    call.say(f"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - "
             f"{call.p['user']}|webserver|{call.user_group}\n")
    call.exit()
    return False


def configured_zone() -> str:
    """The timezone this process was given (TZ, /etc/localtime's link, /etc/timezone), by name;
    empty when none is (local time is then UTC, as PHP falls back to UTC without date.timezone)."""
    named = os.environ.get("TZ", "").lstrip(":")
    if not named:
        try:
            named = os.path.realpath("/etc/localtime") if os.path.islink("/etc/localtime") else ""
        except OSError:
            named = ""
    if not named:
        try:
            with open("/etc/timezone", encoding="utf-8") as handle:
                named = handle.read().strip()
        except OSError:
            named = ""
    return named.rpartition("zoneinfo/")[2] if "zoneinfo/" in named else named


def _load() -> str:
    try:
        return php_str(os.getloadavg()[0])
    except (AttributeError, OSError):   # no load average here: PHP's sys_getloadavg() fails, and prints nothing
        return ""


def _memory_limit() -> str:
    try:
        import resource
    except ImportError:
        return "-1"
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    return "-1" if soft == resource.RLIM_INFINITY else str(soft)


def _settings(call: AgentCall, zone: str) -> str:
    """The lines upstream prints when date.timezone is set: the PHP settings' counterparts here."""
    from ..server import IO_TIMEOUT, MAX_BODY   # the embedded server's own limits
    body_limit = f"{MAX_BODY // (1024 * 1024)}M"
    socket_timeout = socket.getdefaulttimeout()
    return (f"date.timezone: {zone}\n"
            "maximum execution time: 0\n"               # no limit on how long a request may run
            f"maximum input time: {IO_TIMEOUT:g}\n"     # how long a request body may stall
            f"memory limit: {_memory_limit()}\n"        # the address-space limit, -1 when none
            f"post maximum size: {body_limit}\n"        # the largest body the server reads
            f"upload maximum filesize: {body_limit}\n"  # uploads are bodies too
            f"default socket timeout: {-1 if socket_timeout is None else format(socket_timeout, 'g')}\n")


@host_function("agent_api", "webserver", params={}, check=_permitted)
def webserver(call: AgentCall) -> None:
    zone = configured_zone()
    now = time.localtime(call.epoch)
    uname = os.uname()
    lines = ("Webserver Data:\n"
             f"set.timezone: {zone or 'UTC'}\n"
             f"abbr.timezone: {time.strftime('%Z', now)}\n"
             f"dst.timezone: {1 if now.tm_isdst > 0 else 0}\n"
             f"uname: {' '.join(uname)}\n"                  # PHP's php_uname('e') falls back to all five fields
             f"host name: {uname.nodename}\n"
             f"server name: {call.request.server_name or uname.nodename}\n"
             f"php version: Python {platform.python_version()}\n"
             "apache version: vicicert-reference (Python http.server)\n"
             f"apache processes: {threading.active_count()}\n"   # this host's threads: one per open connection
             f"system load average: {_load()}\n"
             f"disk free space: {php_str(float(shutil.disk_usage('/').free))}\n")
    lines += _settings(call, zone) if zone else "ini_get not allowed: \n"
    call.say(f"<PRE>{lines}</PRE>\n")
    call.exit()
