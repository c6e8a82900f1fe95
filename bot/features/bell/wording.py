"""The words of the bell, in each resident's language."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.chat.i18n import Catalogues
from bot.chat.render import day_name, hhmm, kinds_named
from bot.chat.replies import Choice, Reply
from bot.features.reports.filing import FROM_BELL
from core.model import OutboxItem, Worded
from core.reminders import Crowded, Follower, Reminder
from core.schedule_changes import ScheduleChange

# Where a bell's payload keeps the facts that `BellWording.finish` words again as it leaves.
FACTS = "bell"


class Wording:
    """What every message of the bell needs: the catalogues, and whose language to use."""

    def __init__(self, catalogues: Catalogues, default_language: str) -> None:
        self.catalogues = catalogues
        self.default_language = default_language

    def language_of(self, follower: Follower) -> str:
        return self.catalogues.pick(
            follower.language, follower.platform_language, self.default_language
        )


class BellWording(Wording):
    """Turns a reminder into the message a resident reads.

    The planner words a bell when it queues it; `finish` words it again as it leaves, so that
    the countdown is the minutes actually left then and a late bell says that it is late.
    """

    def __call__(self, reminder: Reminder) -> Worded:
        follower = reminder.follower
        collection = reminder.collection
        alley = reminder.schedule.alley
        return self._worded(
            alley.name,
            alley.code,
            hhmm(collection.at),
            None if collection.until is None else hhmm(collection.until),
            int(collection.at.timestamp()) // 60,
            collection.kinds,
            None if reminder.evening else follower.lead_minutes,
            self.language_of(follower),
        )

    def finish(self, item: OutboxItem, now: datetime) -> Mapping[str, Any]:
        """The bell worded for the moment it leaves: the minutes left, and late or not."""
        facts = item.payload.get(FACTS)
        if not isinstance(facts, Mapping):
            return item.payload  # queued before bells carried their facts: sent as worded
        late = item.deadline is not None and now > item.deadline
        left = None
        if facts.get("lead") is not None:
            # Rounded, not cut: a bell leaving a few milliseconds after 17:45 is 15 minutes early.
            left = max(1, round((int(facts["minute"]) * 60 - now.timestamp()) / 60))
        text = self._text(
            str(facts["alley"]),
            str(facts["time"]),
            facts.get("until"),
            tuple(facts.get("kinds", ())),
            left,
            late,
            str(facts["language"]),
        )
        return {**item.payload, "text": text}

    # An alley's followers mostly read the same words: made once, shared by all.
    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one wording object lives as long as the bot
    def _worded(
        self,
        alley: str,
        code: str,
        time: str,
        until: str | None,
        minute: int,
        kinds: tuple[str, ...],
        lead: int | None,  # None: the evening-before bell
        language: str,
    ) -> Worded:
        _ = self.catalogues.get(language).gettext
        text = self._text(alley, time, until, kinds, lead, False, language)
        # The collection travels in the button (as Unix minutes, to stay within 64 bytes), so
        # a report made from it knows which collection it is about.
        report = Choice(_("Missed collection / litter here"), f"{FROM_BELL}:{code}:{minute}")
        worded = Reply(text, (report,)).worded()
        facts = {
            "alley": alley,
            "time": time,
            "until": until,
            "kinds": list(kinds),
            "minute": minute,
            "lead": lead,
            "language": language,
        }
        return Worded({**worded.payload, FACTS: facts}, worded.options)

    def _text(
        self,
        alley: str,
        time: str,
        until: str | None,
        kinds: tuple[str, ...],
        left: int | None,  # minutes until the truck (or its window); None: the evening before
        late: bool,
        language: str,
    ) -> str:
        translations = self.catalogues.get(language)
        _, ngettext = translations.gettext, translations.ngettext
        if left is None and until is None:
            text = _(
                "🌙 Tomorrow at {time} the garbage truck comes to {alley}. "
                "Please have your garbage ready."
            ).format(alley=alley, time=time)
        elif left is None:
            text = _(
                "🌙 Tomorrow between {start} and {end} the garbage truck comes to {alley}. "
                "Please have your garbage ready."
            ).format(alley=alley, start=time, end=until)
        elif until is None:
            text = ngettext(
                "🔔 The garbage truck reaches {alley} at {time}, in {lead} minute. "
                "Please bring your garbage out now.",
                "🔔 The garbage truck reaches {alley} at {time}, in {lead} minutes. "
                "Please bring your garbage out now.",
                left,
            ).format(alley=alley, time=time, lead=left)
        else:
            text = ngettext(
                "🔔 The garbage truck comes to {alley} between {start} and {end}: the window "
                "opens in {lead} minute. Please bring your garbage out now.",
                "🔔 The garbage truck comes to {alley} between {start} and {end}: the window "
                "opens in {lead} minutes. Please bring your garbage out now.",
                left,
            ).format(alley=alley, start=time, end=until, lead=left)
        if kinds:
            text += "\n" + _("Collected: {kinds}.").format(kinds=kinds_named(_, kinds))
        if late:
            text += "\n" + _("⚠️ Sorry, this bell comes late.")
        return text


class NoticeWording(Wording):
    """Turns a change of an alley's calendar into the message each follower reads."""

    def __call__(self, follower: Follower, change: ScheduleChange) -> Worded:
        return Reply(self.text(change, self.language_of(follower))).worded()

    def text(self, change: ScheduleChange, language: str) -> str:
        _ = self.catalogues.get(language).gettext
        if change.day is None:
            return _(
                "🔔 The collection times of {alley} have changed. "
                "Send /schedule to see the coming week."
            ).format(alley=change.alley.name)
        day = day_name(change.day, language, change.today)
        if change.back_at is not None:
            return _("🔔 {alley}: the collection of {day} is back, at {time} as usual.").format(
                alley=change.alley.name, day=day, time=hhmm(change.back_at)
            )
        if change.moved_to is None:
            return _("🔔 {alley}: no garbage collection on {day}.").format(
                alley=change.alley.name, day=day
            )
        return _("🔔 {alley}: the collection of {day} moves to {new_day} at {time}.").format(
            alley=change.alley.name,
            day=day,
            new_day=day_name(change.moved_to.date(), language, change.today),
            time=hhmm(change.moved_to),
        )


class CrowdedWording(Wording):
    """Tells a ward's officers of a slot whose bells cannot all reach residents on time."""

    def __call__(self, slot: Crowded) -> Worded:
        language = self.default_language
        template = self.catalogues.get(language).ngettext(
            "⚠️ {day} at {time}: {late} of the {count} bell due then cannot reach residents "
            "on time at the pace {channel} allows. Spread that hour's collection times, or "
            "turn on paid broadcast.",
            "⚠️ {day} at {time}: {late} of the {count} bells due then cannot reach residents "
            "on time at the pace {channel} allows. Spread that hour's collection times, or "
            "turn on paid broadcast.",
            slot.reminders,
        )
        text = template.format(
            day=day_name(slot.minute.date(), language),
            time=hhmm(slot.minute),
            late=slot.late,
            count=slot.reminders,
            channel=slot.channel.capitalize(),
        )
        return Reply(text).worded()
