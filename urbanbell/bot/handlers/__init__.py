"""Every command, button and dialogue step, registered in one place."""

from urbanbell.bot.handlers import general, officers, schedule, subscriptions
from urbanbell.bot.router import Router
from urbanbell.core.schedule_changes import MAY_CHANGE_CALENDAR


def build_router() -> Router:
    router = Router(
        unknown_command=general.unknown_command,
        unknown_choice=general.out_of_date,
        free_text=subscriptions.typed_outside_dialogue,
        not_a_choice=general.not_a_choice,
        unexpected=general.unexpected,
        not_allowed=general.not_allowed,
    )
    # Vietnamese aliases beside the English commands, for residents who type.
    router.command(subscriptions.start, "start", "batdau")
    router.command(subscriptions.subscribe, "subscribe", "dangky")
    router.command(subscriptions.show_mine, "mine", "cuatoi")
    router.command(subscriptions.unsubscribe, "unsubscribe", "huydangky")
    router.command(schedule.show_schedule, "schedule", "lich")
    router.command(schedule.send_calendars, "calendar", "lichthu")
    router.command(general.ask_language, "language", "ngonngu")
    router.command(general.show_help, "help", "trogiup")
    router.command(general.cancel, "cancel", "huy")
    # Officers' commands: refused to anyone without the role, before the handler runs.
    router.command(officers.skip_collection, "skip", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.move_collection, "move", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.link_group, "linkgroup", roles=MAY_CHANGE_CALENDAR)

    router.choice("find", subscriptions.ask_for_alley)
    router.choice("help", general.help_choice)
    router.choice("wards", subscriptions.list_wards)
    router.choice("ward", subscriptions.pick_ward)
    router.choice("sub", subscriptions.follow)
    router.choice("leadmenu", subscriptions.ask_lead)
    router.choice("lead", subscriptions.set_lead)
    router.choice("unsubmenu", subscriptions.ask_unsubscribe)
    router.choice("unsub", subscriptions.stop_following)
    router.choice("lang", general.set_language)
    router.choice("cancel", general.cancel_choice)

    router.step(subscriptions.SEARCH, "search", subscriptions.search_typed)
    return router
