"""One real Syncthing instance, locked to loopback, for the transport tests.

Wijkkit's bundles travel through whatever folder sync a municipality uses; Syncthing
is the one named in the README. To test that path for real, ``Syncthing`` generates a
fresh home folder, edits its ``config.xml`` before the first start so that the
instance talks to nothing but 127.0.0.1 (no discovery, relays, NAT, STUN, usage or
crash reports, upgrades), adds the other device with a static loopback address and
the shared folders, starts ``syncthing serve`` and stops it again by its pid.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from tests.portable import HARD_KILL

BINARY = shutil.which("syncthing")
LOOPBACK = "127.0.0.1"
# Options set before the first start: everything that could reach beyond loopback is off.
QUIET_OPTIONS = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "startBrowser": "false",
    "crashReportingEnabled": "false",
    "urAccepted": "-1",
    "autoUpgradeIntervalH": "0",
    "announceLANAddresses": "false",
    "stunKeepaliveStartS": "0",
    "stunKeepaliveMinS": "0",
    "reconnectionIntervalS": "1",
    "progressUpdateIntervalS": "1",
    "minHomeDiskFree": "0",
    "setLowPriority": "false",
}
# Belt and braces: should one of the switches above not hold, these lead nowhere.
DEAD_ENDS = {
    "globalAnnounceServer": f"https://{LOOPBACK}:1/",
    "urURL": f"https://{LOOPBACK}:1/",
    "releasesURL": f"https://{LOOPBACK}:1/",
    "crashReportingURL": f"https://{LOOPBACK}:1/",
    "stunServer": f"{LOOPBACK}:1",
}
# Never through a proxy, whatever this machine's environment says.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "no_proxy")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def _set(parent: ET.Element, tag: str, text: str) -> None:
    node = parent.find(tag)
    if node is None:
        node = ET.SubElement(parent, tag)
    node.text = text


class Syncthing:
    """Generate, configure, start and stop one Syncthing; its REST API for waiting."""

    def __init__(self, home: Path, name: str, max_send_kbps: int = 0) -> None:
        assert BINARY, "syncthing is not installed"
        self.home, self.name = Path(home), name
        self.home.mkdir(parents=True, exist_ok=True)
        self.log = self.home / "syncthing.log"
        self.process: subprocess.Popen | None = None
        done = subprocess.run([BINARY, "generate", f"--home={self.home}", "--no-default-folder", "--skip-port-probing"],
                              env=self._env(), capture_output=True, encoding="utf-8", errors="replace", timeout=60)  # fmt: skip
        assert done.returncode == 0, f"syncthing generate failed:\n{done.stdout}\n{done.stderr}"
        self.tree = ET.parse(self.home / "config.xml")
        root = self.tree.getroot()
        own = root.find("device")
        self.device_id = own.get("id")
        own.set("name", name)
        self.apikey = root.find("gui/apikey").text
        self.port, self.gui_port = free_port(), free_port()
        gui = root.find("gui")
        gui.set("tls", "false")
        _set(gui, "address", f"{LOOPBACK}:{self.gui_port}")
        options = root.find("options")
        _set(options, "listenAddress", f"tcp://{LOOPBACK}:{self.port}")
        for tag, value in {**QUIET_OPTIONS, **DEAD_ENDS}.items():
            _set(options, tag, value)
        if max_send_kbps:  # slow enough to see a transfer happen; loopback counts as LAN
            _set(options, "maxSendKbps", str(max_send_kbps))
            _set(options, "limitBandwidthInLan", "true")

    @staticmethod
    def _env() -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
        env.update(STNOUPGRADE="1", STNODEFAULTFOLDER="1", STNORESTART="1", no_proxy="*", NO_PROXY="*")
        return env

    # -- configuration (before start) --------------------------------------------------------

    def add_device(self, other: Syncthing) -> None:
        """Know ``other`` by its id, at its loopback address only; accept nothing automatically."""
        root = self.tree.getroot()
        device = copy.deepcopy(root.find("defaults/device"))
        device.set("id", other.device_id)
        device.set("name", other.name)
        _set(device, "address", f"tcp://{LOOPBACK}:{other.port}")
        _set(device, "autoAcceptFolders", "false")
        root.insert(list(root).index(root.find("gui")), device)

    def add_folder(self, folder_id: str, path: Path, kind: str, other: Syncthing) -> None:
        """Share ``path`` as ``folder_id`` with ``other`` (kind: sendreceive, sendonly, receiveonly)."""
        path = Path(path)
        (path / ".stfolder").mkdir(parents=True, exist_ok=True)  # the marker Syncthing checks for
        root = self.tree.getroot()
        folder = copy.deepcopy(root.find("defaults/folder"))
        folder.attrib.update(id=folder_id, label=folder_id, path=str(path), type=kind, rescanIntervalS="3",
                             fsWatcherEnabled="true", fsWatcherDelayS="1")  # fmt: skip
        for device in folder.findall("device"):
            folder.remove(device)
        for device_id in (self.device_id, other.device_id):
            device = ET.Element("device", id=device_id, introducedBy="")
            ET.SubElement(device, "encryptionPassword")
            folder.insert(1, device)
        _set(folder, "minDiskFree", "0")
        root.insert(list(root).index(root.find("device")), folder)

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        self.tree.write(self.home / "config.xml", encoding="utf-8", xml_declaration=False)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [BINARY, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self._env(), cwd=self.home,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.rest("GET", "/rest/system/ping").get("ping") == "pong":
                    return
            except OSError:
                pass
            assert self.process.poll() is None, f"syncthing {self.name} exited:\n{self.log_tail()}"
            assert time.monotonic() < deadline, f"syncthing {self.name} did not answer:\n{self.log_tail()}"
            time.sleep(0.2)

    def stop(self) -> None:
        """Terminate by pid, kill after a timeout: nothing is left running.

        ``syncthing serve`` is a monitor process running Syncthing itself as its child (also
        with --no-restart); the monitor passes SIGTERM on. Should the child outlive it, it
        is killed by its own pid, noted before.
        """
        if self.process is None or self.process.poll() is not None:
            return
        children = self._children()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        for pid in children:
            deadline = time.monotonic() + 10
            while self._is_ours(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if self._is_ours(pid):
                os.kill(pid, HARD_KILL)

    def _children(self) -> list[int]:
        pid = self.process.pid
        try:  # Linux; elsewhere the monitor's SIGTERM has to do
            return [int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text(encoding="ascii").split()]
        except OSError:
            return []

    def _is_ours(self, pid: int) -> bool:
        """Still running, and still a Syncthing with this home (not a reused pid)."""
        try:
            return f"--home={self.home}" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return False

    def rest(self, method: str, path: str, **params: str) -> Any:
        query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
        request = urllib.request.Request(f"http://{LOOPBACK}:{self.gui_port}{path}{query}", method=method,
                                         headers={"X-API-Key": self.apikey})  # fmt: skip
        with NO_PROXY.open(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body.strip() else None

    def scan(self, folder_id: str) -> None:
        """Rescan now instead of waiting for the watcher (it may be slow or missing on CI)."""
        try:
            self.rest("POST", "/rest/db/scan", folder=folder_id)
        except OSError:  # busy: the watcher and the short rescan interval catch up
            pass

    def connected(self, other: Syncthing) -> bool:
        connections = self.rest("GET", "/rest/system/connections")["connections"]
        return bool(connections.get(other.device_id, {}).get("connected"))

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return f"(no log for {self.name})"
        return f"--- syncthing {self.name}, last {lines} lines of {self.log}\n" + "\n".join(text[-lines:])


def wait_for(condition, timeout: float, what: str, instances: list[Syncthing], interval: float = 0.1):
    """Poll ``condition`` until it returns something true; fail with both logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = condition()
        except OSError:  # the REST API between two states
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            for instance in instances:
                if instance.process is not None and instance.process.poll() is not None:
                    what += f" (syncthing {instance.name} exited with {instance.process.returncode})"
            raise AssertionError(f"waited {timeout:.0f} s for {what}\n\n" + "\n\n".join(i.log_tail() for i in instances))
        time.sleep(interval)
