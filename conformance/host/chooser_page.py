"""The HTML page of the Non-Agent API's choosers (moh_list, vm_list, sounds_list's selectframe).

Upstream's admin pages open these answers in a frame: a script that writes the chosen value
into the parent page's field named by ``comments`` and closes the frame, a "close frame" link,
then a table whose header row names the columns. Each chooser gives its header cells and its
rows; the page around them is the same bytes for all.
"""

from __future__ import annotations

_SCRIPT_BODY = (
    "function choose_file(filename,fieldname)\n"
    "\t{\n"
    "\tif (filename.length > 0)\n"
    "\t\t{\n"
    "\t\tparent.document.getElementById(fieldname).value = filename;\n"
    "\t\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\t\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\t\tparent.close_chooser();\n"
    "\t\t}\n"
    "\t}\n"
    "function close_file()\n"
    "\t{\n"
    "\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\tparent.close_chooser();\n"
    "\t}\n"
)
SMALL = '<font size=1 face="Arial,Helvetica">'
NORMAL = '<font size=2 face="Arial,Helvetica">'
END = "</table></div></body></HTML>\n"


def page_head(header_cells: str) -> str:
    """From the blank first line to the end of the table's header row; ``header_cells`` are its
    ``<td>`` lines."""
    return ("\n<HTML><head><title>NON-AGENT API</title>\n<script language=\"Javascript\">\n" + _SCRIPT_BODY
            + "</script>\n</head>\n\n<body>\n"
            + f'<a href="javascript:close_file();">{SMALL}close frame</font></a>\n'
            + "<div id='selectframe' style=\"height:400px;width:710px;overflow:scroll;\">\n"
            + "<table border=0 cellpadding=1 cellspacing=2 width=690 bgcolor=white><tr>\n"
            + header_cells + "</tr>\n")


def shade(number: int) -> str:
    """A row's background: odd row numbers are the darker grey."""
    return 'bgcolor="#E6E6E6"' if number % 2 else 'bgcolor="#F6F6F6"'


def pick_link(value: str, field: str, font: str = NORMAL, shown: str | None = None) -> str:
    """The link that puts ``value`` into the parent's field ``field`` (no escaping, as upstream)."""
    return f"<a href=\"javascript:choose_file('{value}','{field}');\">{font}{value if shown is None else shown}</a>"


def chooser_comments(raw: str) -> str:
    """``comments`` as the preamble leaves it in either mode: ; # and double quotes removed, + a space."""
    return raw.replace(";", "").replace("#", "").replace('"', "").replace("+", " ")
