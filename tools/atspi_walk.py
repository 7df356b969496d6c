"""Read Wijkkit the way a screen reader does: through AT-SPI, the Linux accessibility bus.

Why this exists: issue 17's review walked the tree of every page and tab through AT-SPI
(what Orca reads) and found unnamed controls and Tab traps that Qt's own widget tree hides.
tests/ui/test_atspi_tree.py repeats that review in CI with this script. It runs under the
system Python (``/usr/bin/python3``), because pyatspi is the Debian package python3-pyatspi,
not a wheel for the project's venv; so it uses only the standard library, pyatspi and gi.

Two ways to run it, both on a session bus where the app has accessibility on
(``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``, X11 through ``QT_QPA_PLATFORM=xcb``):

- ``atspi_walk.py walk [--pid PID]`` prints one JSON object: the app's windows on show and every
  interactive control in them (role, name, description, states, labels tied to it, path, the
  texts beside it);
- ``dbus-run-session -- atspi_walk.py serve -- CMD...`` starts CMD (the app) on that bus, then
  answers commands on stdin, one JSON object a line, each with one line on stdout, ``REPLY``
  and JSON (other lines there are the bus daemons'):
  ``{"op": "wait", "timeout": 30}`` (until the app shows a window), ``{"op": "walk"}``,
  ``{"op": "windows"}`` (only the windows on show), ``{"op": "raise"}`` (the app's window gets
  the keyboard: Xvfb has no window manager to give it),
  ``{"op": "key", "keys": "Tab"}`` (xdotool, then the object that has the focus),
  ``{"op": "press", "path": [...]}`` (a control's first action, such as a page tab's),
  ``{"op": "quit"}``. A command that fails answers ``{"error": "..."}``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import pyatspi
from gi.repository import GLib

# What a person operates; each needs a name a screen reader can say.
INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text", "entry",
    "password text", "spin button", "list", "list box", "table", "tree", "tree table", "page tab",
    "slider", "menu item", "check menu item", "radio menu item", "link", "date editor",
}  # fmt: skip
VIEWS = {"list", "list box", "table", "tree", "tree table"}  # their items are not walked one by one
TEXTUAL = {"label", "static", "heading", "page tab"}
# The bus daemons dbus-run-session starts share its stdout: a reply is the line that starts so.
REPLY = "atspi-walk: "


def _labels(obj) -> list[str]:
    """The names of the labels tied to ``obj`` (Qt: a sibling label whose buddy it is)."""
    try:
        relations = obj.getRelationSet()
    except (NotImplementedError, GLib.Error):
        return []
    return [relation.getTarget(i).name or "" for relation in relations
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY
            for i in range(relation.getNTargets())]  # fmt: skip


def _states(obj) -> list[str]:
    return sorted(pyatspi.stateToString(s) for s in obj.getState().getStates())


def _text(obj, limit: int = 60) -> str:
    try:
        text = obj.queryText()
        return text.getText(0, min(text.characterCount, limit))
    except (NotImplementedError, AttributeError, GLib.Error):
        return ""


def _selected(obj) -> list[str]:
    try:
        selection = obj.querySelection()
        return [selection.getSelectedChild(i).name or "" for i in range(min(selection.nSelectedChildren, 5))]
    except (NotImplementedError, AttributeError, GLib.Error):
        return []


def describe(obj, path: list[int], trail: list[str], nearby: list[str]) -> dict:
    """One object as JSON: what a screen reader says of it, and where it is."""
    role = obj.getRoleName()
    info = {
        "role": role,
        "name": obj.name or "",
        "description": obj.description or "",
        "states": _states(obj),
        "path": path,
        "trail": " > ".join(trail),
        "nearby": [text for text in nearby if text][:4],
        "labelled_by": _labels(obj),  # what a screen reader reads before the name (Orca: first)
    }
    if role in {"list", "list box", "page tab list"}:
        info["selected"] = _selected(obj)
    if role in {"text", "entry", "password text", "spin button"}:
        info["value"] = _text(obj)  # Qt gives a line edit's placeholder as its description
    if role == "combo box":  # on Linux Qt names a combo box by its current item, whatever its accessible name
        items = obj.getChildAtIndex(0) if obj.childCount else None
        info["items"] = [items.getChildAtIndex(i).name or "" for i in range(min(items.childCount, 60))] if items else []
    return info


def find_app(pid: int | None):
    """The app's accessible root on the bus, or None while it is not there yet."""
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None:
            continue
        try:
            if pid is None or app.get_process_id() == pid:
                return app
        except GLib.Error:
            continue
    return None


def windows(app) -> list:
    found = []
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getState().contains(pyatspi.STATE_SHOWING):
            found.append((i, child))
    return found


def walk(app) -> dict:
    """Every interactive control on show in the app's windows, and the windows themselves."""
    controls, shown = [], []
    for index, window in windows(app):
        shown.append({"role": window.getRoleName(), "name": window.name or "", "path": [index]})
        _walk(window, [index], [f"{window.getRoleName()} {window.name!r}"], controls, [])
    return {"windows": shown, "controls": controls}


def _walk(obj, path: list[int], trail: list[str], out: list[dict], context: list[str]) -> None:
    """``context``: texts shown around ``obj`` (the labels beside it, the heading above)."""
    children = [] if obj.getRoleName() in VIEWS else [obj.getChildAtIndex(i) for i in range(obj.childCount)]
    shown = [(i, child) for i, child in enumerate(children)
             if child is not None and child.getState().contains(pyatspi.STATE_SHOWING)]  # fmt: skip
    texts = [(i, child.name) for i, child in shown if child.getRoleName() in TEXTUAL and child.name]
    for i, child in shown:
        role = child.getRoleName()
        here, where = path + [i], trail + [f"{role} {child.name!r}" if child.name else role]
        beside = [name for _j, name in sorted(texts, key=lambda text: abs(text[0] - i)) if name != child.name]
        nearby = (beside[:2] + context)[:3]  # a form's label may come before or after its field
        if role in INTERACTIVE:
            out.append(describe(child, here, where, nearby))
        if role not in {"combo box", "spin button"}:  # their parts (line edit, popup list) are theirs
            _walk(child, here, where, out, nearby)


def at_path(app, path: list[int]):
    obj = app
    for index in path:
        obj = obj.getChildAtIndex(index)
        if obj is None:
            raise LookupError(f"nothing at {path}")
    return obj


def path_of(obj) -> tuple[list[int], list[str]]:
    """Indexes from the app down to ``obj``, and the roles and names on the way."""
    path, trail = [], []
    while obj is not None and obj.getRoleName() != "application":
        path.append(obj.getIndexInParent())
        trail.append(f"{obj.getRoleName()} {obj.name!r}" if obj.name else obj.getRoleName())
        obj = obj.parent
    return path[::-1], trail[::-1]


class Focus:
    """The object that last gained the focus, from the bus's focus events."""

    def __init__(self) -> None:
        self.current = None
        self.count = 0
        pyatspi.Registry.registerEventListener(self._changed, "object:state-changed:focused")

    def _changed(self, event) -> None:
        if event.detail1:
            self.current, self.count = event.source, self.count + 1

    @staticmethod
    def pump(seconds: float, until=lambda: False) -> None:
        """Let the bus deliver events for up to ``seconds``, or until ``until()``."""
        context, end = GLib.MainContext.default(), time.monotonic() + seconds
        while time.monotonic() < end and not until():
            if not context.iteration(False):
                time.sleep(0.005)

    def describe(self) -> dict | None:
        if self.current is None:
            return None
        try:
            path, trail = path_of(self.current)
            info = describe(self.current, path, trail, [])
        except GLib.Error:
            return None
        views = [i for i, step in enumerate(trail) if step.split(" '")[0] in VIEWS]
        info["view"] = path[: views[-1] + 1] if views else None  # the table or list the focus is in
        return info


def serve(command: list[str]) -> int:
    app_process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sys.stderr)  # stdout is the replies'
    focus = Focus()
    app = None

    def answer(request: dict) -> dict:
        nonlocal app
        op = request.get("op")
        if op == "wait":
            def ready() -> bool:
                nonlocal app
                app = app or find_app(app_process.pid)
                return app is not None and bool(windows(app))

            focus.pump(float(request.get("timeout", 30)), ready)
            if app_process.poll() is not None:
                return {"error": f"the app ended with {app_process.returncode}"}
            return walk(app) if ready() else {"error": "the app showed no window on the bus"}
        if app is None:
            return {"error": "wait for the app first"}
        if op == "walk":
            focus.pump(0.05)
            return walk(app)
        if op == "windows":
            focus.pump(0.05)
            return {"windows": [{"role": w.getRoleName(), "name": w.name or "", "path": [i]} for i, w in windows(app)]}
        if op == "key":
            before = focus.count
            subprocess.run(["xdotool", "key", "--clearmodifiers", request["keys"]], check=True, timeout=10)
            focus.pump(float(request.get("timeout", 1.0)), lambda: focus.count != before)
            return {"focus": focus.describe(), "moved": focus.count != before}
        if op == "raise":  # no window manager under Xvfb: give the app's window the keyboard
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(app_process.pid)],
                                   capture_output=True, text=True, encoding="utf-8", timeout=10).stdout.split()
            if not found:
                return {"error": "the app has no visible X window"}
            subprocess.run(["xdotool", "windowfocus", "--sync", found[-1]], check=True, timeout=10)
            return {"windows": found}
        if op == "focus":
            focus.pump(0.05)
            return {"focus": focus.describe()}
        if op == "press":
            target = at_path(app, request["path"])
            action = target.queryAction()
            if action.nActions < 1:
                return {"error": f"no action on {target.getRoleName()} {target.name!r}"}
            action.doAction(0)
            focus.pump(0.05)
            return {"pressed": target.name}
        return {"error": f"unknown op {op!r}"}

    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            try:
                reply = answer(request)
            except (GLib.Error, LookupError, NotImplementedError, subprocess.SubprocessError) as exc:
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            print(REPLY + json.dumps(reply, ensure_ascii=False), flush=True)
    finally:
        app_process.terminate()
        try:
            app_process.wait(10)
        except subprocess.TimeoutExpired:
            app_process.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("walk", help="print the interactive controls of the app on the bus as JSON")
    one.add_argument("--pid", type=int, help="the app's process id (default: the first app on the bus)")
    one.add_argument("--timeout", type=float, default=10, help="seconds to wait for the app on the bus")
    run = sub.add_parser("serve", help="start the app given after -- and answer JSON commands on stdin")
    run.add_argument("app", nargs=argparse.REMAINDER, help="the app's command line, after --")
    args = parser.parse_args(argv)
    if args.command == "walk":
        # the first client to ask starts the accessibility bus; the app then joins it
        app, end = find_app(args.pid), time.monotonic() + args.timeout
        while app is None and time.monotonic() < end:
            Focus.pump(0.2)
            app = find_app(args.pid)
        if app is None:
            print("error: no such app on the accessibility bus", file=sys.stderr)
            return 1
        print(json.dumps(walk(app), ensure_ascii=False, indent=1))
        return 0
    command = args.app[1:] if args.app[:1] == ["--"] else args.app
    if not command:
        parser.error("serve needs the app's command line after --")
    return serve(command)


if __name__ == "__main__":
    sys.exit(main())
