"""Delivering outbox messages in the terminal, options numbered and files saved to a folder."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from bot.chat.plain import numbered
from bot.chat.replies import Document, Reply
from core.model import Delivery, Outcome

CHANNEL = "console"
FILES = Path("urbanbell-files")  # where files go unless `--files DIR` says otherwise


def render(reply: Reply, saved: Mapping[str, str] | None = None) -> str:
    """The reply as the terminal shows it; `saved` tells where each attached file was saved,
    or why it was not."""
    lines = [reply.text]
    for photo in (*reply.album, reply.photo):
        if photo is not None:
            lines.append(f"  [photo: {photo}]")
    if reply.location is not None:
        lines.append(f"  [location: {reply.location[0]:.5f}, {reply.location[1]:.5f}]")
    for attached in (reply.picture, reply.document):
        if attached is not None:
            where = (saved or {}).get(attached.filename)
            size = f"{len(attached.content)} bytes"
            lines.append(f"  [{where}, {size}]" if where else f"  [{attached.filename}, {size}]")
    lines.extend(f"  {line}" for line in numbered(reply.choices))
    return "\n".join(lines)


def save(document: Document, folder: Path) -> str:
    """Write the file into the folder, next to earlier ones of the same name rather than over
    them; say where, or why it could not be written."""
    name = Path(document.filename).name  # a name, never a path of its own
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        stem, suffix = path.stem, path.suffix
        copy = 1
        while True:
            try:
                with path.open("xb") as file:
                    file.write(document.content)
                return str(path)
            except FileExistsError:
                copy += 1
                path = folder / f"{stem}-{copy}{suffix}"
    except OSError as error:
        return f"{name}: not saved, {folder}: {error.strerror}"


class ConsoleMessenger:
    """Delivers by printing to the terminal; files are saved to `files`."""

    channel = CHANNEL

    def __init__(self, stdout: TextIO = sys.stdout, files: Path = FILES) -> None:
        self.stdout = stdout
        self.files = files

    async def deliver(self, chat_id: str, payload: Mapping[str, Any]) -> Delivery:
        reply = Reply.from_payload(payload)
        saved = {}
        for attached in (reply.picture, reply.document):
            if attached is not None:
                saved[attached.filename] = await asyncio.to_thread(save, attached, self.files)
        print(render(reply, saved), file=self.stdout)
        print(file=self.stdout, flush=True)
        return Delivery(Outcome.SENT)
