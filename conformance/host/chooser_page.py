"""The page the Non-Agent API's choosers answer with: a frame of rows the admin screen picks one from.

Upstream's choosers (ingroup_list, callmenu_list, container_list, moh_list, vm_list and
sounds_list's selectframe, in www/vicidial/non_agent_api.php) print the same head (the two
JavaScript functions that hand the chosen value to the parent page's field named by ``comments``
and close the frame, then a "close frame" link), a table whose header cells are the function's
own, one row per item and the same end. A row's first cell numbers it from 1, shaded #E6E6E6 when
the number ends in an odd digit and #F6F6F6 otherwise; its link passes the item's value and the
field name to the parent page. Nothing is HTML-escaped: ids, names and comments print as stored.
"""

from __future__ import annotations

from typing import Iterable

from .php import PhpArray, remove

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
NUMBER_CELL = "<td width=30>#</td>\n"


def page_head(header_cells: str) -> str:
    """From the blank first line to the end of the table's header row; ``header_cells`` are its
    ``<td>`` lines."""
    return ("\n<HTML><head><title>NON-AGENT API</title>\n<script language=\"Javascript\">\n" + _SCRIPT_BODY
            + "</script>\n</head>\n\n<body>\n"
            + f'<a href="javascript:close_file();">{SMALL}close frame</font></a>\n'
            + "<div id='selectframe' style=\"height:400px;width:710px;overflow:scroll;\">\n"
            + "<table border=0 cellpadding=1 cellspacing=2 width=690 bgcolor=white><tr>\n"
            + header_cells + "</tr>\n")


def field_name(comments: str) -> str:
    """The ``comments`` parameter as upstream holds it in either mode: ; # and " removed, + read as
    a space (an array stays one, which prints as Array)."""
    kept = remove(comments, ';#"')
    return kept if isinstance(kept, PhpArray) else kept.replace("+", " ")


def shade(number: int) -> str:
    """A row's background: upstream shades a number ending in 1, 3, 5, 7 or 9 darker."""
    return "#E6E6E6" if str(number)[-1] in "13579" else "#F6F6F6"


def pick_link(value: str, field: str, font: str = NORMAL, shown: str | None = None) -> str:
    """The link that puts ``value`` into the parent's field ``field`` (no escaping, as upstream)."""
    return f"<a href=\"javascript:choose_file('{value}','{field}');\">{font}{value if shown is None else shown}</a>"


def page(header_cells: Iterable[tuple[str, str]], rows: Iterable[tuple[str, str, str | None]], field: str) -> str:
    """A whole page of one id, one text and perhaps one colour a row: ``header_cells`` (attributes,
    text) after the # cell, then each (id, text, colour); a colour of None leaves the row without
    its colour cell (the text cell then ends the row)."""
    out = [page_head(NUMBER_CELL + "".join(f"<td{attributes}>{text}</td>\n" for attributes, text in header_cells))]
    for number, (item_id, text, colour) in enumerate(rows, start=1):
        out.append(f"<tr bgcolor=\"{shade(number)}\"><td width=30>{SMALL}{number}</td>\n"
                   f"<td colspan=2>{pick_link(item_id, field)}</td>\n")
        if colour is None:
            out.append(f"<td>{NORMAL}{text}</td></tr>\n")
        else:
            out.append(f"<td>{NORMAL}{text}</td>\n"
                       f"<td bgcolor=\"{colour}\">{NORMAL} &nbsp; &nbsp; &nbsp; &nbsp; </td></tr>\n")
    out.append(END)
    return "".join(out)
