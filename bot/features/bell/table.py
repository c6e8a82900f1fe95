"""The bell's commands, buttons and steps: following alleys, the schedule, calendar changes."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.bell import bells, calendar_changes, schedule, subscriptions
from core.schedule_changes import MAY_CHANGE_CALENDAR

FEATURE = Feature(
    commands=(
        Command(
            "start",
            subscriptions.start,
            N_("begin, or follow an alley by its code"),
            alias="batdau",
            usage=N_("[alley-code]"),
        ),
        Command(
            "subscribe",
            subscriptions.subscribe,
            N_("find your alley and hear its bell"),
            alias="dangky",
            usage=N_("[words]"),
        ),
        Command("mine", subscriptions.show_mine, N_("the alleys you follow"), alias="cuatoi"),
        Command(
            "unsubscribe",
            subscriptions.unsubscribe,
            N_("stop following an alley"),
            alias="huydangky",
        ),
        Command(
            "schedule", schedule.show_schedule, N_("collections in the coming week"), alias="lich"
        ),
        Command(
            "calendar",
            schedule.send_calendars,
            N_("your alleys' collections for your phone's calendar"),
            alias="lichthu",
        ),
        Command(
            "skip",
            calendar_changes.skip_collection,
            N_("no collection in an alley on a day"),
            usage=N_("<alley> <day>"),
            roles=MAY_CHANGE_CALENDAR,
        ),
        Command(
            "unskip",
            calendar_changes.unskip_collection,
            N_("give a day back its usual collection"),
            usage=N_("<alley> <day>"),
            roles=MAY_CHANGE_CALENDAR,
        ),
        Command(
            "move",
            calendar_changes.move_collection,
            N_("move an alley's collection of a day"),
            usage=N_("<alley> <day> <new day> <HH:MM>"),
            roles=MAY_CHANGE_CALENDAR,
        ),
        Command(
            "linkgroup",
            calendar_changes.link_group,
            N_("let an alley's bell ring in this group"),
            usage=N_("<alley>"),
            roles=MAY_CHANGE_CALENDAR,
        ),
    ),
    buttons=(
        Button(subscriptions.FIND, subscriptions.ask_for_alley),
        Button(subscriptions.FIND_MORE, subscriptions.more_found),
        Button(subscriptions.WARDS, subscriptions.list_wards),
        Button(subscriptions.WARD, subscriptions.pick_ward),
        Button(subscriptions.FOLLOW, subscriptions.follow),
        Button(subscriptions.ASK_LEAD, subscriptions.ask_lead),
        Button(subscriptions.SET_LEAD, subscriptions.set_lead),
        Button(bells.SET_BELLS, bells.set_bells),
        Button(subscriptions.ASK_UNSUBSCRIBE, subscriptions.ask_unsubscribe),
        Button(subscriptions.UNSUBSCRIBE, subscriptions.stop_following),
        Button(calendar_changes.CONFIRM, calendar_changes.confirm),
    ),
    steps=(Step(subscriptions.SEARCH, "search", subscriptions.search_typed),),
)
