"""What `urbanbell seed` says it did, in the admin's language, with its plurals right."""

from __future__ import annotations

import gettext

from bot.chat.render import ROLE_NAMES
from core.seeding import SeedSummary


def seed_summary(summary: SeedSummary, translations: gettext.NullTranslations) -> str:
    """ "created 3 wards, 12 alleys, 1 officer; told 1 follower of changed collection times"."""
    _, ngettext = translations.gettext, translations.ngettext
    kinds = {
        "wards": lambda n: ngettext("{count} ward", "{count} wards", n),
        "alleys": lambda n: ngettext("{count} alley", "{count} alleys", n),
        "officers": lambda n: ngettext("{count} officer", "{count} officers", n),
    }
    parts = []
    for label, counts in (
        (_("created"), summary.created),
        (_("updated"), summary.updated),
        (_("unchanged"), summary.unchanged),
    ):
        if counts:
            listed = ", ".join(kinds[kind](n).format(count=n) for kind, n in counts.items())
            parts.append(f"{label} {listed}")
    if summary.told:
        parts.append(
            ngettext(
                "told {count} follower of changed collection times",
                "told {count} followers of changed collection times",
                summary.told,
            ).format(count=summary.told)
        )
    return "; ".join(parts) or _("nothing to do")


def revoked_lines(summary: SeedSummary, translations: gettext.NullTranslations) -> list[str]:
    """One line per role the file took away: who, under which id, what, where."""
    _ = translations.gettext
    return [
        _("{name} ({channel} {id}) is no longer {role} of {ward}").format(
            name=gone.officer.name,
            channel=gone.channel,
            id=gone.external_id,
            role=_(ROLE_NAMES[gone.officer.role]),
            ward=gone.officer.ward.code,
        )
        for gone in summary.revoked
    ]
