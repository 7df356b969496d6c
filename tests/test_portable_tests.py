"""No test uses a Linux-only call unless it is marked, guarded or goes through tests/portable.py.

Why this module exists: the release workflow runs the suite on Windows and macOS (issue 15, 12).
A test that kills with ``signal.SIGKILL``, reads ``/proc``, imports ``resource`` or ``fcntl``,
asks ``os.geteuid``, runs ``chattr`` or checks a file's permission bits (``S_IMODE(...st_mode)``)
fails there before it tests anything. This scan reads every test file's syntax tree and finds each such use; it must be

- in a test (or class) marked ``@pytest.mark.only_on(...)`` or a module with such a ``pytestmark``
  (also through a name the module binds to the mark), or
- under an ``if``/conditional expression that asks ``sys.platform``, ``os.name``, ``is_root()``
  or ``hasattr``, or in a ``try`` that catches the OSError, ImportError or AttributeError it
  raises elsewhere.

Docstrings are prose and not read; other strings are (child processes' code is a string).
tests/portable.py is the one place that asks the system directly.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
EXEMPT = {TESTS / "portable.py", Path(__file__).resolve()}

SIGNALS = {"SIGKILL", "SIGSTOP", "SIGCONT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPIPE",
           "SIGCHLD", "alarm", "setitimer", "pause", "pthread_kill"}  # fmt: skip
OS_CALLS = {"geteuid", "getuid", "getegid", "getgid", "fork", "forkpty", "mkfifo", "setsid", "killpg", "getpgid",
            "uname", "chown", "lchown", "statvfs", "getloadavg", "sched_getaffinity"}  # fmt: skip
MODULES = {"resource", "fcntl", "termios", "pwd", "grp", "pty"}
PROGRAMS = {"chattr", "lsattr", "xdotool", "Xvfb", "xvfb-run"}
IN_STRINGS = re.compile(
    r"/proc/|\bsignal\.(?:" + "|".join(sorted(SIGNALS)) + r")\b|\bos\.(?:" + "|".join(sorted(OS_CALLS)) + r")\b"
    r"|\bimport (?:" + "|".join(sorted(MODULES)) + r")\b"
)
PLATFORM_WORDS = {"platform", "name", "is_root", "hasattr"}  # sys.platform, os.name, ...
CAUGHT = {"OSError", "FileNotFoundError", "ImportError", "ModuleNotFoundError", "AttributeError", "Exception"}


def linux_only_uses(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """Every node in ``tree`` that needs Linux (or POSIX), with what it uses."""
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
                  and isinstance(node.value, ast.Constant)}  # fmt: skip
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner, name = node.value.id, node.attr
            if name in {"signal": SIGNALS, "os": OS_CALLS}.get(owner, ()):
                found.append((node, f"{owner}.{name}"))
        elif isinstance(node, ast.Call) and names_in(node.func) >= {"stat", "S_IMODE"} and node.args \
                and "st_mode" in names_in(node.args[0]):  # a file's permission bits (a zip entry's are fine)
            found.append((node, "stat.S_IMODE(... st_mode)"))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [(node, f"import {name}") for name in names if name.split(".")[0] in MODULES]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if node.value in PROGRAMS:
                found.append((node, node.value))
            elif match := IN_STRINGS.search(node.value):
                found.append((node, match.group()))
    return found


def parents_of(tree: ast.Module) -> dict[int, ast.AST]:
    return {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def names_in(node: ast.AST) -> set[str]:
    return {n.attr if isinstance(n, ast.Attribute) else n.id for n in ast.walk(node)
            if isinstance(n, ast.Attribute | ast.Name)}  # fmt: skip


def marks_only_on(node: ast.AST, marked_names: set[str]) -> bool:
    words = names_in(node)
    return "only_on" in words or bool(words & marked_names)


def is_covered(node: ast.AST, parents: dict[int, ast.AST], marked_names: set[str]) -> bool:
    child, parent = node, parents.get(id(node))
    while parent is not None:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if parent.name.startswith(("test", "Test")) and any(marks_only_on(d, marked_names)
                                                                 for d in parent.decorator_list):  # fmt: skip
                return True
        elif isinstance(parent, ast.If | ast.IfExp | ast.While) and child is not parent.test:
            if names_in(parent.test) & PLATFORM_WORDS:
                return True
        elif isinstance(parent, ast.Try) and child in parent.body:
            if any(names_in(h.type) & CAUGHT for h in parent.handlers if h.type is not None):
                return True
        child, parent = parent, parents.get(id(parent))
    return False


def unmarked(source: str, filename: str = "<test>") -> list[str]:
    """``file:line: what`` for every Linux-only use in ``source`` that is not covered."""
    tree = ast.parse(source, filename)
    marked_names = set()
    module_marked = False
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and marks_only_on(statement.value, set()):
            targets = {t.id for t in statement.targets if isinstance(t, ast.Name)}
            marked_names |= targets
            module_marked |= "pytestmark" in targets
    if module_marked:
        return []
    parents = parents_of(tree)
    return [f"{filename}:{node.lineno}: {what}" for node, what in linux_only_uses(tree)
            if not is_covered(node, parents, marked_names)]  # fmt: skip


def test_every_linux_only_use_in_the_tests_is_marked_or_guarded():
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        if path not in EXEMPT:
            problems += unmarked(path.read_text(encoding="utf-8"), str(path.relative_to(TESTS.parent)))
    assert not problems, ("Linux-only calls in tests: use tests/portable.py, guard them by sys.platform/os.name, or "
                          "mark the test @pytest.mark.only_on('linux', reason=...):\n" + "\n".join(problems))  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        "import os, signal\ndef test_x(p):\n    os.kill(p.pid, signal.SIGKILL)\n",
        "from pathlib import Path\ndef test_x():\n    Path('/proc/self/status').read_text()\n",
        "def test_x():\n    import resource\n",
        "import os\ndef is_root():\n    return os.geteuid() == 0\n",
        "import subprocess\ndef test_x(p):\n    subprocess.run(['chattr', '+i', p])\n",
        "CHILD = '''\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n'''\n",
        "import os, stat\ndef test_x(p):\n    assert stat.S_IMODE(p.stat().st_mode) == 0o600\n",
        "import pytest\nPOSIX = pytest.mark.skipif(True, reason='x')\n@POSIX\ndef test_x():\n    import fcntl\n",
    ],
)
def test_the_scan_finds_a_linux_only_use_left_unmarked(source):
    assert unmarked(source)


@pytest.mark.parametrize(
    "source",
    [
        "import os, signal, pytest\n@pytest.mark.only_on('linux', reason='r')\ndef test_x(p):\n"
        "    os.kill(p.pid, signal.SIGKILL)\n",
        "import pytest\nLINUX = pytest.mark.only_on('linux', reason='r')\n@LINUX\ndef test_x():\n    import resource\n",
        "import pytest\npytestmark = pytest.mark.only_on('linux', reason='r')\ndef test_x():\n    open('/proc/x')\n",
        "import os, stat\ndef test_x(p):\n    if os.name != 'nt':\n        assert stat.S_IMODE(p.stat().st_mode) == 0o600\n",
        "import sys, shutil\nCHATTR = shutil.which('chattr') if sys.platform == 'linux' else None\n",
        "from pathlib import Path\ndef kids(pid):\n    try:\n        return Path(f'/proc/{pid}/task').iterdir()\n"
        "    except OSError:\n        return []\n",
        "def test_x():\n    '''Killed with signal.SIGKILL: a docstring is prose.'''\n",
        "import stat\ndef test_x(info):\n    assert stat.S_IMODE(info.external_attr >> 16) == 0o755\n",
    ],
)
def test_the_scan_accepts_a_marked_or_guarded_use(source):
    assert unmarked(source) == []
