"""Files visitors upload into chats: each is a line of the chat whose message is a link to the file, and the
link is readable only by the case's organization (see mocksnap/web/files.py for the rule it is served by)."""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any
from urllib.parse import quote

from mocksnap.world.chats import ChatCommands
from mocksnap.world.errors import Invalid
from mocksnap.world.models import Case, Organization, SharedFile

MAX_FILE_BYTES = 3 * 1024 * 1024  # one file; the request around it stays under the 4 MiB body limit
MAX_FILES_PER_CASE = 20
MAX_STORED_BYTES = 256 * 1024 * 1024  # every file the world holds, together
MAX_NAME_CHARS = 200
FILES_PATH = "/files"
MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")
DEFAULT_MEDIA_TYPE = "application/octet-stream"


def clean_name(name: str) -> str:
    """The file name to keep: its last path segment (a browser may send a whole path), without control
    characters or surrounding blanks."""
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip()


def file_link(base_url: str, file_id: str, name: str) -> str:
    return f"{base_url}{FILES_PATH}/{file_id}/{quote(name, safe='')}"


class FileCommands(ChatCommands):
    def _install(self, orgs: dict[str, Organization], cases: list[Case]) -> None:
        super()._install(orgs, cases)
        self.files: dict[str, SharedFile] = {}
        self._stored_bytes = 0
        # A seeded stream of their own: sharing a file leaves the ids of cases and widgets as they were.
        self._ids["file"] = random.Random(f"file/{self.seed}")

    def visitor_file(
        self, case: Case, name: str, content_type: str | None, data: bytes, base_url: str
    ) -> SharedFile:
        """The visitor of an open chat shares a file: a visitor line whose message is the file's link (so
        every transcript carries it), with the file's name, type, size and link as its attachment.
        `base_url` is the https origin the link points at."""
        self._open_chat(case)
        name = clean_name(name)
        if not name:
            raise Invalid("the file has no name")
        if len(name) > MAX_NAME_CHARS:
            raise Invalid(f"the file name must be at most {MAX_NAME_CHARS} characters")
        if not data:
            raise Invalid("the file is empty")
        if len(data) > MAX_FILE_BYTES:
            raise Invalid(f"a file must be at most {MAX_FILE_BYTES} bytes")
        if sum(1 for f in self.files.values() if f.case_id == case.case_id) >= MAX_FILES_PER_CASE:
            raise Invalid(f"a chat takes at most {MAX_FILES_PER_CASE} files")
        if self._stored_bytes + len(data) > MAX_STORED_BYTES:
            raise Invalid(f"mocksnap holds at most {MAX_STORED_BYTES} bytes of files; reset the world")
        content_type = (content_type or "").split(";")[0].strip().lower()
        if not MEDIA_TYPE.match(content_type):
            content_type = DEFAULT_MEDIA_TYPE
        file_id = self.new_uuid("file")
        while file_id in self.files:
            file_id = self.new_uuid("file")
        url = file_link(base_url, file_id, name)
        shared = SharedFile(file_id, case.case_id, case.org_id, name, content_type, data, url)
        self.files[file_id] = shared
        self._stored_bytes += len(data)
        attachment: dict[str, Any] = {
            "file": {"fileName": name, "mimeType": content_type, "size": len(data), "url": url}
        }
        self._line(case, "VISITOR", "", "", url, attachment=attachment)
        case.visitor_typing = False
        case.last_activity_ms = self.clock.now_ms()
        self._emit("case.message", case, sender="VISITOR", fileId=file_id)
        return shared

    def shared_file(self, file_id: str) -> SharedFile | None:
        return self.files.get(file_id)
