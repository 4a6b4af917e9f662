from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from termslint.errors import InputError, LimitError
from termslint.read import decode_document, read_document_text


def test_reads_utf8_and_normalises_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    path.write_bytes(b"# Terms\r\n\r\nOne\rTwo\n")
    assert read_document_text(str(path)) == "# Terms\n\nOne\nTwo\n"


def test_strips_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    path.write_bytes(codecs.BOM_UTF8 + "# Términos\n".encode("utf-8"))
    assert read_document_text(str(path)) == "# Términos\n"


def test_never_modifies_the_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    data = codecs.BOM_UTF8 + b"# Terms\r\n"
    path.write_bytes(data)
    before = os.stat(path).st_mtime_ns
    read_document_text(str(path))
    assert path.read_bytes() == data
    assert os.stat(path).st_mtime_ns == before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.md: no such file; check the path"):
        read_document_text(str(tmp_path / "nope.md"))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_document_text(str(tmp_path))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("# Terms\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied; make the file readable"):
            read_document_text(str(path))
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", codecs.BOM_UTF8])
def test_empty(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^x\.md: is empty; "):
        decode_document(data, "x.md")


def test_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_document(b"%PDF-1.7\x00\x01\x02", "x.md")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (codecs.BOM_UTF16_LE + "# T\n".encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + "# T\n".encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + "# T\n".encode("utf-32-le"), "UTF-32"),
        (codecs.BOM_UTF32_BE + "# T\n".encode("utf-32-be"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_refused_with_the_fix(data: bytes, name: str) -> None:
    with pytest.raises(InputError) as info:
        decode_document(data, "x.md")
    assert str(info.value) == f"x.md: is encoded as {name}; save it as UTF-8"


def test_invalid_utf8_names_the_byte_offset() -> None:
    data = "# Terms\n\nCaf".encode() + b"\xe9 au lait\n"
    with pytest.raises(InputError) as info:
        decode_document(data, "x.md")
    assert "byte offset 12" in str(info.value)
    assert "line 3" in str(info.value)
    assert str(info.value).endswith("save it as UTF-8")


def test_size_limit() -> None:
    with pytest.raises(LimitError, match="more than the limit of 10"):
        decode_document(b"# Terms and more\n", "x.md", max_bytes=10)


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 100)
    with pytest.raises(LimitError):
        read_document_text(str(path), max_bytes=99)
    assert read_document_text(str(path), max_bytes=100) == "x" * 100


def test_messages_are_one_line(tmp_path: Path) -> None:
    for data in (b"", b"\x00", codecs.BOM_UTF16_LE, b"\xff\xfe\xfa"):
        try:
            decode_document(data, "a/b.md")
        except InputError as exc:
            assert "\n" not in str(exc)
            assert str(exc).startswith("a/b.md: ")
