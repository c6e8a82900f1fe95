"""Every command, button and dialogue step, registered in one place."""

from urbanbell.bot.handlers import (
    figures,
    general,
    officers,
    reports,
    schedule,
    subscriptions,
    triage,
)
from urbanbell.bot.router import Router
from urbanbell.core.reports import MAY_TRIAGE
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
    router.command(reports.report, "report", "phananh")
    router.command(reports.my_reports, "myreports", "phananhcuatoi")
    router.command(figures.show_indicators, "indicators", "chiso")
    # Officers' commands: refused to anyone without the role, before the handler runs.
    router.command(officers.skip_collection, "skip", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.move_collection, "move", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.link_group, "linkgroup", roles=MAY_CHANGE_CALENDAR)
    router.command(triage.inbox, "inbox", "hopthu", roles=MAY_TRIAGE)
    router.command(triage.show, "show", "xem", roles=MAY_TRIAGE)
    router.command(triage.status, "status", "trangthai", roles=MAY_TRIAGE)
    router.command(triage.reply, "reply", "traloi", roles=MAY_TRIAGE)
    router.command(triage.note, "note", "ghichu", roles=MAY_TRIAGE)
    router.command(triage.link_officers, "linkofficers", roles=MAY_TRIAGE)
    router.command(figures.show_stats, "stats", "thongke", roles=MAY_TRIAGE)
    router.command(figures.send_export, "export", "xuat", roles=MAY_TRIAGE)

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

    router.choice("rcat", reports.pick_category)
    router.choice("rnext", reports.photos_done)
    router.choice("rwhere", reports.where_alley)
    router.choice("ranon", reports.pick_anonymous)
    router.choice("rsend", reports.send)
    router.choice("rbell", reports.from_bell)
    router.choice("radd", reports.offer_more)
    router.choice("rfix", reports.judge_fix)
    router.choice("rrate", reports.rate)
    router.step(reports.DIALOGUE, "description", reports.describe)
    router.step(reports.DIALOGUE, "photos", reports.add_photo, reports.PHOTO_KINDS)
    router.step(reports.DIALOGUE, "where", reports.where_pin, reports.WHERE_KINDS)
    router.step(reports.ADD, "photo", reports.added_photo, reports.PHOTO_KINDS)
    router.step(reports.ADD, "where", reports.added_location, reports.WHERE_KINDS)
    router.step(reports.REOPEN, "note", reports.reopen)
    # Officers' buttons under a report; each checks the presser's role in its ward again.
    router.choice("rs", triage.move_choice)
    router.choice("rrej", triage.ask_reason)
    router.choice("rdup", triage.ask_original)
    router.choice("rme", triage.assign_me)
    router.choice("rshow", triage.show_choice)
    router.choice("ibp", triage.inbox_page)
    router.step(triage.DIALOGUE, "reject", triage.reason_typed)
    router.step(triage.DIALOGUE, "duplicate", triage.original_typed)
    return router
