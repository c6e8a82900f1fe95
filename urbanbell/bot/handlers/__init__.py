"""Every command, button and dialogue step, registered in one place."""

from urbanbell.bot.handlers import (
    announcements,
    calls,
    figures,
    general,
    officers,
    report_calls,
    reports,
    schedule,
    subscriptions,
    triage,
    volunteering,
)
from urbanbell.bot.router import Router
from urbanbell.core.mobilisation import MAY_ANNOUNCE, MAY_ORGANISE
from urbanbell.core.model import Role
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
    router.command(volunteering.volunteer, "volunteer", "tinhnguyen")
    router.command(announcements.mute, "mute", "tatthongbao")
    # Officers' commands: refused to anyone without the role, before the handler runs.
    router.command(officers.skip_collection, "skip", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.move_collection, "move", roles=MAY_CHANGE_CALENDAR)
    router.command(officers.link_group, "linkgroup", roles=MAY_CHANGE_CALENDAR)
    router.command(triage.inbox, "inbox", "hopthu", roles=MAY_TRIAGE)
    router.command(triage.show, "show", "xem", roles=MAY_TRIAGE)
    router.command(triage.status, "status", "trangthai", roles=MAY_TRIAGE)
    router.command(triage.reply, "reply", "traloi", roles=MAY_TRIAGE)
    router.command(triage.note, "note", "ghichu", roles=MAY_TRIAGE)
    router.command(triage.link_officers, "linkofficers", roles=frozenset({Role.ADMIN}))
    router.command(figures.show_stats, "stats", "thongke", roles=MAY_TRIAGE)
    router.command(figures.send_export, "export", "xuat", roles=MAY_TRIAGE)
    router.command(announcements.announce, "announce", "thongbao", roles=MAY_ANNOUNCE)
    router.command(calls.new_call, "newcall", "keugoimoi", roles=MAY_ORGANISE)
    router.command(calls.list_calls, "calls", "keugoi", roles=MAY_ORGANISE)
    router.command(calls.find_offers, "offers", "giupdo", roles=MAY_ORGANISE)

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
    router.step(triage.DIALOGUE, "duplicate", triage.original_typed, numbers=True)

    # Residents volunteer: every button names its call or offer, checked again when pressed.
    router.choice("vc", volunteering.show_call)
    router.choice("join", volunteering.join_call)
    router.choice("decline", volunteering.decline_call)
    router.choice("leave", volunteering.leave_call)
    router.choice("vics", volunteering.send_calendar)
    router.choice("vo", volunteering.ask_offer_kind)
    router.choice("vok", volunteering.pick_offer_kind)
    router.choice("vow", volunteering.pick_offer_ward)
    router.choice("voa", volunteering.any_time)
    router.choice("vom", volunteering.my_offers)
    router.choice("vox", volunteering.withdraw_offer)
    router.step(volunteering.OFFER, "description", volunteering.description_typed)
    router.step(volunteering.OFFER, "available", volunteering.available_typed)
    router.choice("mute", announcements.set_muted)
    # Organisers' buttons and steps; each checks the presser's role in the call's ward again.
    router.choice("ncw", calls.pick_ward)
    router.choice("nck", calls.pick_kind)
    router.choice("ncdl", calls.no_deadline)
    router.choice("ncbring", calls.nothing_to_bring)
    router.choice("nca", calls.pick_alleys)
    router.choice("ncsend", calls.send_call)
    router.step(calls.NEWCALL, "title", calls.title_typed)
    router.step(calls.NEWCALL, "when", calls.when_typed)
    router.step(calls.NEWCALL, "where", calls.where_given, calls.WHERE_KINDS)
    router.step(calls.NEWCALL, "slots", calls.slots_typed, numbers=True)
    router.step(calls.NEWCALL, "deadline", calls.deadline_typed)
    router.step(calls.NEWCALL, "bring", calls.bring_typed)
    router.choice("cl", calls.show_call)
    router.choice("clmsg", calls.ask_note)
    router.choice("cloff", calls.offers_for_call)
    router.choice("clend", calls.ask_attendance)
    router.choice("clc", calls.toggle_came)
    router.choice("clcd", calls.attendance_done)
    router.choice("clh", calls.hours_choice)
    router.choice("clm", calls.skip_measure)
    router.choice("clok", calls.close_confirmed)
    router.choice("clinv", calls.invite)
    router.choice("ofw", calls.offers_in_ward)
    router.choice("ofk", calls.list_offers)
    router.choice("ofinv", calls.pick_call_for_offer)
    router.step(calls.NOTE, "text", calls.note_typed)
    router.step(calls.CLOSE, "hours", calls.hours_typed, numbers=True)
    router.step(calls.CLOSE, "measure", calls.measure_typed, numbers=True)
    router.choice("newcall", report_calls.call_for_report)
    router.choice("callresolve", report_calls.resolve_report)
    # Officers announce.
    router.choice("anw", announcements.pick_ward)
    router.choice("ana", announcements.pick_alleys)
    router.choice("ansend", announcements.send)
    router.step(announcements.ANNOUNCE, "text", announcements.text_typed)
    return router
