"""Zalo's updates become plain events; replies become text Zalo accepts, options numbered."""

from __future__ import annotations

from typing import Any

from bot.channels.zalo.adapter import TEXT_LIMIT, render, to_incoming, unwrap
from bot.channels.zalo.client import ZaloError
from bot.channels.zalo.messenger import outcome_of
from bot.chat.events import Kind
from bot.chat.replies import Choice, Reply
from core.model import Outcome


def update(event_name: str, **content: Any) -> dict[str, Any]:
    return {
        "event_name": event_name,
        "message": {
            "message_id": "2d758cb5e222177a4e33",
            "from": {"id": "6ede9afa6a7d2a3c1b54", "display_name": "Chị Lan", "is_bot": False},
            "chat": {"id": "6ede9afa6a7d2a3c1b54", "chat_type": "PRIVATE"},
            "date": 1750316131602,
            **content,
        },
    }


def test_a_text_becomes_text_or_a_command_with_string_ids_and_the_message_id_as_key() -> None:
    text = to_incoming(update("message.text.received", text="hem 51"))
    command = to_incoming(update("message.text.received", text="/start nk-hem-51"))

    assert text is not None and command is not None
    assert (text.kind, text.text) == (Kind.TEXT, "hem 51")
    assert (command.kind, command.command, command.args) == (Kind.COMMAND, "start", "nk-hem-51")
    assert text.sender.channel == "zalo"
    assert text.sender.id == text.reply_to == "6ede9afa6a7d2a3c1b54"
    assert text.sender.display_name == "Chị Lan" and text.sender.language is None
    assert text.key == "2d758cb5e222177a4e33"


def test_an_image_becomes_a_photo_by_its_url_with_the_caption() -> None:
    event = to_incoming(
        update("message.image.received", photo_url="https://f.zalo.me/a.jpg", caption="rác")
    )
    assert event is not None and event.kind is Kind.PHOTO
    assert event.photo is not None
    assert (event.photo.ref, event.photo.caption) == ("https://f.zalo.me/a.jpg", "rác")


def test_stickers_and_unsupported_messages_are_something_the_bot_cannot_read() -> None:
    sticker = to_incoming(update("message.sticker.received", sticker="bfe458bf"))
    other = to_incoming(update("message.unsupported.received"))
    assert sticker is not None and other is not None
    assert sticker.kind is other.kind is Kind.OTHER


def test_a_group_message_is_answered_in_the_group() -> None:
    event = to_incoming(
        update("message.text.received", text="/help", chat={"id": "g-77", "chat_type": "GROUP"})
    )
    assert event is not None and event.reply_to == "g-77"


def test_updates_without_a_person_are_ignored_and_wrapped_ones_unwrapped() -> None:
    assert to_incoming({"event_name": "message.text.received"}) is None
    assert to_incoming(update("message.text.received", **{"from": {}})) is None
    bare = update("message.text.received", text="hi")
    assert unwrap({"ok": True, "result": bare}) == bare
    assert unwrap(bare) == bare


def test_a_very_long_message_id_still_makes_an_inbox_key() -> None:
    event = to_incoming(update("message.text.received", text="hi", message_id="x" * 100))
    assert event is not None and event.key is not None and len(event.key) == 64


def test_options_are_numbered_under_the_text() -> None:
    reply = Reply("Which language?", (Choice("Tiếng Việt", "lang:vi"), Choice("English", "l")))
    assert render(reply.to_payload()).parts == ["Which language?\n\n1. Tiếng Việt\n2. English"]


def test_long_text_is_cut_into_parts_of_at_most_2000_characters() -> None:
    paragraph = "Hẻm 51. " * 150  # 1,200 characters
    reply = Reply(f"{paragraph}\n\n{paragraph}", (Choice("OK", "ok"),))
    parts = render(reply.to_payload()).parts
    assert [len(p) for p in parts] == [1200, 1200 + len("\n\n1. OK")]
    assert all(len(p) <= TEXT_LIMIT for p in render(Reply("x" * 4500).to_payload()).parts)


def test_a_location_becomes_a_map_link_and_only_a_url_photo_is_kept() -> None:
    located = render(Reply("Here", location=(10.0299, 105.7706)).to_payload())
    by_url = render(Reply("Photo", photo="https://example.com/p.jpg").to_payload())
    by_file_id = render(Reply("Photo", photo="AgACAgIAAxkBAAIB").to_payload())

    assert located.parts == ["Here\n\nhttps://maps.google.com/?q=10.029900,105.770600"]
    assert by_url.photo == "https://example.com/p.jpg"
    assert by_file_id.photo is None and by_file_id.parts == ["Photo"]


def test_zalo_errors_map_onto_the_outcomes_telegrams_do() -> None:
    def outcome(code: int, description: str = "", from_zalo: bool = True) -> Outcome:
        return outcome_of(ZaloError(code, description, from_zalo)).outcome

    assert outcome(429) is Outcome.RETRY_AFTER
    assert outcome_of(ZaloError(429, "quota")).retry_after > 0
    assert outcome(403, "Forbidden: the user has blocked the bot") is Outcome.BLOCKED
    assert outcome(404, "Not Found: chat not found") is Outcome.BLOCKED
    assert outcome(400, "Bad Request: user not found") is Outcome.BLOCKED
    # A proxy's "404 Not Found" page, or a bare status, says nothing of the person.
    assert outcome(404, "Not Found", from_zalo=False) is Outcome.FAILED
    assert outcome(403, "Forbidden: user not found", from_zalo=False) is Outcome.RETRY
    # Zalo's table calls 403 an error on its side: no one is taken for gone on it alone.
    assert outcome(403, "Forbidden") is Outcome.RETRY
    assert outcome(418, "undocumented") is Outcome.RETRY
    assert outcome(503) is Outcome.RETRY
    assert outcome(504) is Outcome.UNCERTAIN
    assert outcome(400, "Bad Request: text is too long") is Outcome.FAILED
    assert outcome_of(ZaloError(403, "Forbidden", True)).reason == "Zalo 403: Forbidden"
