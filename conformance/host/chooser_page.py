"""The page the Non-Agent API's choosers answer with: a frame of rows the admin screen picks one from.

Upstream's ingroup_list, callmenu_list and container_list (www/vicidial/non_agent_api.php) print
the same head (the two JavaScript functions that hand the chosen id to the parent page and close
the frame), a table whose header cells are the function's own, one row per item and the same end.
A row's first cell numbers it from 1, shaded #E6E6E6 when the number ends in an odd digit and
#F6F6F6 otherwise; its link passes the item's id and the ``comments`` parameter (the parent's
field name) to the parent page. Nothing is HTML-escaped: ids, names and comments print as stored.
"""

from __future__ import annotations

from typing import Iterable

from .php import PhpArray, remove

HEAD = (
    "\n<HTML><head><title>NON-AGENT API</title>\n<script language=\"Javascript\">\n"
    "function choose_file(filename,fieldname)\n\t{\n\tif (filename.length > 0)\n\t\t{\n"
    "\t\tparent.document.getElementById(fieldname).value = filename;\n"
    "\t\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\t\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\t\tparent.close_chooser();\n\t\t}\n\t}\n"
    "function close_file()\n\t{\n"
    "\tdocument.getElementById(\"selectframe\").innerHTML = '';\n"
    "\tdocument.getElementById(\"selectframe\").style.visibility = 'hidden';\n"
    "\tparent.close_chooser();\n\t}\n</script>\n</head>\n\n<body>\n"
    "<a href=\"javascript:close_file();\"><font size=1 face=\"Arial,Helvetica\">close frame</font></a>\n"
    "<div id='selectframe' style=\"height:400px;width:710px;overflow:scroll;\">\n"
    "<table border=0 cellpadding=1 cellspacing=2 width=690 bgcolor=white><tr>\n<td width=30>#</td>\n")
END = "</table></div></body></HTML>\n"


def field_name(comments: str) -> str:
    """The ``comments`` parameter as upstream holds it: ; # and " removed, + read as a space (an
    array stays one, which prints as Array)."""
    kept = remove(comments, ';#"')
    return kept if isinstance(kept, PhpArray) else kept.replace("+", " ")


def shade(number: int) -> str:
    """A row's background: upstream shades a number ending in 1, 3, 5, 7 or 9 darker."""
    return "#E6E6E6" if str(number)[-1] in "13579" else "#F6F6F6"


def page(header_cells: Iterable[tuple[str, str]], rows: Iterable[tuple[str, str, str | None]], field: str) -> str:
    """The whole page: ``header_cells`` (attributes, text) after the # cell, then each (id, text, colour) as a row;
    a colour of None leaves the row without its colour cell (the text cell then ends the row)."""
    out = [HEAD, *(f"<td{attributes}>{text}</td>\n" for attributes, text in header_cells), "</tr>\n"]
    for number, (item_id, text, colour) in enumerate(rows, start=1):
        out.append(f"<tr bgcolor=\"{shade(number)}\"><td width=30><font size=1 face=\"Arial,Helvetica\">{number}</td>\n"
                   f"<td colspan=2><a href=\"javascript:choose_file('{item_id}','{field}');\">"
                   f"<font size=2 face=\"Arial,Helvetica\">{item_id}</a></td>\n")
        if colour is None:
            out.append(f"<td><font size=2 face=\"Arial,Helvetica\">{text}</td></tr>\n")
        else:
            out.append(f"<td><font size=2 face=\"Arial,Helvetica\">{text}</td>\n"
                       f"<td bgcolor=\"{colour}\"><font size=2 face=\"Arial,Helvetica\"> &nbsp; &nbsp; &nbsp; "
                       "&nbsp; </td></tr>\n")
    out.append(END)
    return "".join(out)
