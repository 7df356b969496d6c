"""Writing over a file that Windows holds for a moment (issue 15, 4): tried again, then a clear error.

Linux never holds files, so the tests make ``os.replace`` (or the temporary file's open) raise the
PermissionError Windows gives, with its winerror, as often as a virus scanner or PDF viewer would.
"""

from __future__ import annotations

import os

import pytest

from wijkkit import atomic
from wijkkit.atomic import write_atomically
from wijkkit.errors import FileInUseError, KitError


def windows_error(winerror: int = 32) -> PermissionError:
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = winerror  # what Python sets on Windows
    return error


@pytest.fixture
def pauses(monkeypatch):
    """The pauses taken, without waiting them out."""
    taken: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", taken.append)
    return taken


def hold_replace(monkeypatch, times: int, winerror: int = 32) -> list[tuple]:
    calls: list[tuple] = []
    real = os.replace

    def replace(source, target):
        calls.append((source, target))
        if len(calls) <= times:
            raise windows_error(winerror)
        return real(source, target)

    monkeypatch.setattr(atomic.os, "replace", replace)
    return calls


@pytest.mark.parametrize("winerror", [5, 32])
def test_a_file_held_for_a_moment_is_written_after_all(tmp_path, monkeypatch, pauses, winerror):
    target = tmp_path / "overzicht.xlsx"
    target.write_bytes(b"old")
    calls = hold_replace(monkeypatch, 3, winerror)
    assert write_atomically(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert len(calls) == 4 and pauses == list(atomic.PAUSES[:3])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["overzicht.xlsx"]


def test_a_file_held_for_good_is_left_as_it_was_with_a_clear_error(tmp_path, monkeypatch, pauses):
    target = tmp_path / "afspraken.pdf"
    target.write_bytes(b"old")
    calls = hold_replace(monkeypatch, 10_000)
    with pytest.raises(FileInUseError) as raised:
        write_atomically(target, b"new")
    assert isinstance(raised.value, KitError)
    assert str(target) in raised.value.english() and "open in another program" in raised.value.english()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afspraken.pdf"]  # no .part left
    assert len(calls) == len(atomic.PAUSES) + 1
    assert sum(pauses) < 1.5  # the user waits about a second, not longer


def test_a_held_temporary_file_is_opened_again(tmp_path, monkeypatch, pauses):
    target = tmp_path / "bijeenkomst.ics"
    real, tries = os.open, []

    def open_(path, *args):
        tries.append(path)
        if len(tries) <= 2:
            raise windows_error(32)  # the scanner still reads the .part of an earlier try
        return real(path, *args)

    monkeypatch.setattr(atomic.os, "open", open_)
    write_atomically(target, b"BEGIN:VCALENDAR")
    assert target.read_bytes() == b"BEGIN:VCALENDAR" and len(tries) == 3


def test_a_real_permission_error_is_not_waited_for(tmp_path, monkeypatch, pauses):
    """On Linux and macOS nothing holds a file: a PermissionError means no right to write, at once."""
    target = tmp_path / "sjabloon.json"
    target.write_bytes(b"old")

    def replace(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(PermissionError) as raised:
        write_atomically(target, b"new")
    assert not isinstance(raised.value, KitError)
    assert pauses == [] and target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sjabloon.json"]


def test_the_bytes_are_flushed_to_disk_before_the_rename(tmp_path, monkeypatch):
    order: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (order.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (order.append("replace"), real_replace(a, b))[1])
    write_atomically(tmp_path / "x.csv", b"a;b")
    assert order == ["fsync", "replace"]


def _ics(kit, path):
    from wijkkit import ics

    held = kit.sessions.list()[0]
    return ics.write_meeting(held, kit.sessions.steps(held.id), path)


def _xlsx(kit, path):
    from wijkkit import hub_report

    return hub_report.write_xlsx(hub_report.overview(kit), path)


def _csv(kit, path):
    from wijkkit import hub_report

    return hub_report.write_csv(hub_report.overview(kit), path.parent)[0]


@pytest.mark.parametrize(("write", "name"), [(_ics, "bijeenkomst.ics"), (_xlsx, "overzicht.xlsx"),
                                             (_csv, None)])  # fmt: skip
def test_the_exports_wait_for_a_held_file_and_else_leave_it(demo_kit, tmp_path, monkeypatch, pauses, write, name):
    """The .ics, the workbook and the CSV files: once written by themselves, now through atomic.py."""
    if name is None:  # the first table's CSV file
        from wijkkit import hub_report

        name = hub_report.file_stem(hub_report.overview(demo_kit).tables()[0]) + ".csv"
    target = tmp_path / name
    target.write_bytes(b"open in Excel")
    hold_replace(monkeypatch, 2)
    assert write(demo_kit, target) == target and target.read_bytes() != b"open in Excel"
    target.write_bytes(b"open in Excel")
    hold_replace(monkeypatch, 10_000)
    with pytest.raises(FileInUseError):
        write(demo_kit, target)
    assert target.read_bytes() == b"open in Excel"
    assert not list(tmp_path.glob("*.part"))


def test_a_read_only_file_is_not_said_to_be_open_elsewhere(tmp_path, monkeypatch, pauses):
    """Windows says 'access denied' (winerror 5) also for a read-only file: no 'close it there' then."""
    target = tmp_path / "alleen-lezen.pdf"
    target.write_bytes(b"old")
    hold_replace(monkeypatch, 10_000, winerror=5)
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError) as raised:
        write_atomically(target, b"new")
    assert not isinstance(raised.value, KitError) and target.read_bytes() == b"old"
