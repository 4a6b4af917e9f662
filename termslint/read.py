"""Read a terms document from disk into text the parser can trust.

Every check here exists because a real repository contains the file that
fails it: an exported Word file saved as UTF-16, a PDF renamed to `.md`, a
zero-byte placeholder. Each failure is one `InputError` line that names the
file and the fix. The file itself is never modified.
"""
from __future__ import annotations

import codecs
import os

from termslint.errors import InputError, LimitError

DEFAULT_MAX_BYTES = 20_000_000
_BINARY_PROBE = 8192  # bytes looked at for a NUL, like git's binary heuristic

# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE BOM.
_NON_UTF8_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_document(data: bytes, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a document's bytes to text with "\\n" line endings, or raise `InputError`."""
    if len(data) > max_bytes:
        raise LimitError(
            f"{path}: is {len(data):,} bytes, more than the limit of {max_bytes:,}",
            "split the document or raise the size limit in the termslint config",
        )
    for bom, name in _NON_UTF8_BOMS:
        if data.startswith(bom):
            raise InputError(f"{path}: is encoded as {name}", "save it as UTF-8")
    if b"\x00" in data[:_BINARY_PROBE]:
        raise InputError(
            f"{path}: looks like a binary file (it contains NUL bytes)",
            "check only Markdown text files",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}: is not valid UTF-8 (byte offset {exc.start}, line {line})",
            "save it as UTF-8",
        ) from None
    if not text.strip():
        raise InputError(f"{path}: is empty", "add the document's text or remove the file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_document_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode the document at `path` (see `decode_document`)."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            # Refuse before reading a huge file into memory.
            raise LimitError(
                f"{path}: is {size:,} bytes, more than the limit of {max_bytes:,}",
                "split the document or raise the size limit in the termslint config",
            )
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file", "pass Markdown files") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", "check the path") from None
    except PermissionError:
        raise InputError(
            f"{path}: permission denied", "make the file readable by this user"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", "check the path") from None
    return decode_document(data, path, max_bytes)
