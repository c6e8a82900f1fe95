"""Picking who hears a call or an announcement: the whole ward, or some of its alleys.

A ward may have hundreds of alleys: they come a page at a time ("More alleys…"), and a name
typed while picking finds them; the buttons stay far under Telegram's 100 a message, and each
one's data is a short prefix and a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.context import Context
from bot.chat.plain import is_number
from bot.chat.replies import Choice
from core import announcements
from core.model import Alley
from core.search import fold, score, words

WHOLE_WARD = "all"
DONE = "done"
MORE = "from"  # "from40": the page of alleys that begins with the 41st
PAGE = 20  # alleys a message


async def alley_picker(
    ctx: Context,
    ward_id: int,
    chosen: Sequence[int],
    prefix: str,
    start: int = 0,
    search: str | None = None,
) -> tuple[str, list[Choice]]:
    """A note to add to the question ("" when every alley fits), and its options: the whole
    ward, a page of alleys from `start` or those matching `search` (ticked when chosen), "More
    alleys…" while more follow, and Done once some are chosen."""
    _ = ctx._
    alleys = await announcements.ward_alleys(ctx.uow, ward_id)
    following = None
    if search is not None:
        shown = _matching(alleys, search)
        if shown:
            note = ctx.ngettext(
                "{count} alley matches “{text}”.", "{count} alleys match “{text}”.", len(shown)
            ).format(count=len(shown), text=search.strip())
            shown = shown[:PAGE]
        else:
            note = _("No alley matches “{text}”.").format(text=search.strip())
            shown, following = alleys[:PAGE], PAGE if len(alleys) > PAGE else None
    else:
        start = max(0, min(start, len(alleys) - 1))
        shown = alleys[start : start + PAGE]
        following = start + PAGE if start + PAGE < len(alleys) else None
        note = ""
        if len(alleys) > PAGE:
            note = _("Alleys {first} to {last} of {count}.").format(
                first=start + 1, last=start + len(shown), count=len(alleys)
            )
    if len(alleys) > PAGE:
        note += " " + _("Type part of a name to find an alley.")
    choices = [Choice(_("The whole ward"), f"{prefix}:{WHOLE_WARD}")]
    for alley in shown:
        mark = "✅ " if alley.id in chosen else "▫️ "
        choices.append(Choice(mark + alley.name, f"{prefix}:{alley.id}"))
    if following is not None:
        choices.append(Choice(_("More alleys…"), f"{prefix}:{MORE}{following}"))
    if chosen:
        label = ctx.ngettext("Done: this alley", "Done: these {count} alleys", len(chosen))
        choices.append(Choice(label.format(count=len(chosen)), f"{prefix}:{DONE}"))
    return ("\n\n" + note.strip() if note else ""), choices


def page_asked(arg: str) -> int | None:
    """The first alley of the page a "More alleys…" button asks for, or None for another."""
    rest = arg.removeprefix(MORE)
    return int(rest) if rest != arg and is_number(rest) else None


async def page_of(ctx: Context, ward_id: int, alley_id: int) -> int:
    """Where the page holding the alley begins, to show it again once ticked."""
    alleys = [alley.id for alley in await announcements.ward_alleys(ctx.uow, ward_id)]
    return alleys.index(alley_id) // PAGE * PAGE if alley_id in alleys else 0


async def picked(ctx: Context, ward_id: int, chosen: list[int], arg: str) -> list[int] | None:
    """The alleys chosen after pressing `arg`: an alley toggles (it must be the ward's), the
    whole ward means all of them. None for a button that is not one of these."""
    alleys = [alley.id for alley in await announcements.ward_alleys(ctx.uow, ward_id)]
    if arg == WHOLE_WARD:
        return alleys
    if not is_number(arg) or int(arg) not in alleys:
        return None
    alley = int(arg)
    return [a for a in chosen if a != alley] if alley in chosen else [*chosen, alley]


def _matching(alleys: Sequence[Alley], text: str) -> list[Alley]:
    """The alleys whose names match the words typed, best first, then by name."""
    query = words(text)
    scored = [(score(query, fold(f"{alley.name} {alley.code}")), alley) for alley in alleys]
    return [alley for points, alley in sorted(scored, key=lambda s: -s[0]) if points]
