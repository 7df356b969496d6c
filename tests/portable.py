"""What the tests ask of the operating system, asked the same way on Linux, macOS and Windows.

Why this module exists: the release workflow runs the suite on Windows and macOS too, and a test
that kills a child with ``signal.SIGKILL``, asks ``os.geteuid`` or reads ``/proc`` fails there
before it tests anything. Tests call these instead; what truly needs Linux is marked
``@pytest.mark.only_on("linux", reason=...)`` (tests/conftest.py), and tests/test_portable_tests.py
finds a Linux-only call that is neither here, guarded nor marked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

# POSIX: SIGKILL (no handler, no cleanup). Windows: ``os.kill`` with any number but the two
# console events (0, 1) calls TerminateProcess with that number as the exit code: no cleanup
# either, and the code 9 tells it apart from a Python error's 1 (``Popen.kill`` gives 1).
HARD_KILL = getattr(signal, "SIGKILL", 9)
KILLED = -HARD_KILL if os.name == "posix" else HARD_KILL  # the return code of a process so killed

# .ci/run (Linux) installs the command-line tools some tests read files with (pdftotext and pdffonts
# from poppler-utils, makensis, node with ical.js): there a missing tool fails the test, never skips
# it. The hosted release runners (Windows, macOS) do not have them all: there, as on a developer's
# machine without them, such a test skips with its reason.
TOOLS_REQUIRED = bool(os.environ.get("CI")) and sys.platform.startswith("linux")


def needs_tool(present: bool, reason: str):
    """A skipif mark for a test that needs a command-line tool (see TOOLS_REQUIRED)."""
    import pytest

    return pytest.mark.skipif(not present and not TOOLS_REQUIRED, reason=reason)


def kill_hard(process: subprocess.Popen) -> None:
    """Stop the child at once, as a power cut or the task manager would: none of its cleanup runs.
    One that has just ended by itself is left as it is (its return code then says so)."""
    if process.poll() is not None:
        return
    try:
        os.kill(process.pid, HARD_KILL)
    except OSError:  # Windows refuses to terminate a process that has just ended
        if process.poll() is None:
            raise


def is_root() -> bool:
    """Running as root, where permission bits stop no write (never on Windows)."""
    return os.name == "posix" and os.geteuid() == 0


def peak_memory_mb() -> int:
    """This process's peak resident memory in MB (Linux: VmHWM, its own, as ``ru_maxrss`` there
    counts the parent it was forked from; macOS: ``ru_maxrss`` in bytes; Windows: the peak
    working set)."""
    if sys.platform == "linux":
        status = Path("/proc/self/status").read_text(encoding="utf-8")
        return int(status.split("VmHWM:")[1].split()[0]) // 1024
    if sys.platform == "win32":
        return _windows_peak_working_set() // 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 2**20  # bytes on macOS


def limit_memory(limit: int) -> bool:
    """Cap this process's address space at ``limit`` bytes where the system enforces it (Linux);
    False where it cannot (macOS ignores RLIMIT_AS, Windows has no rlimits): there a test's
    timeout is the only brake."""
    if sys.platform != "linux":
        return False
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return True


def _windows_peak_working_set() -> int:
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
            (name, ctypes.c_size_t)
            for name in ("PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                         "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage",
                         "PagefileUsage", "PeakPagefileUsage")  # fmt: skip
        ]

    counters = Counters()
    counters.cb = ctypes.sizeof(Counters)
    kernel32 = ctypes.WinDLL("kernel32")
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    psapi = ctypes.WinDLL("psapi")
    psapi.GetProcessMemoryInfo.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters), wintypes.DWORD]
    if not psapi.GetProcessMemoryInfo(kernel32.GetCurrentProcess(), ctypes.byref(counters), counters.cb):
        raise ctypes.WinError()
    return counters.PeakWorkingSetSize
