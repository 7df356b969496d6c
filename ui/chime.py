"""A short, soft chime when a step nears its end and when its time is up.

Qt's sound module would add a large library (and PulseAudio) to the bundle for
two notes, so the chime is a small WAV made with the standard library and played
by the system's own player (winsound on Windows, afplay on macOS, paplay, pw-play
or aplay on Linux). Where none exists or there is no sound device, the chime is
silent and the meeting goes on: playing never raises.
"""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from functools import cache
from pathlib import Path

from wijkkit.atomic import write_atomically

RATE = 22_050
LINUX_PLAYERS = (("paplay",), ("pw-play",), ("aplay", "-q"))


def tone(frequencies: tuple[float, ...], seconds: float = 0.9, volume: float = 0.35) -> bytes:
    """16-bit mono samples of soft bell tones, one after another, each fading out."""
    frames = bytearray()
    length = int(RATE * seconds / len(frequencies))
    for frequency in frequencies:
        for n in range(length):
            fade = math.exp(-4.0 * n / length)
            sample = volume * fade * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(sample * 32767))
    return bytes(frames)


@cache
def chime_file(kind: str = "soon") -> Path:
    """The WAV for 'two minutes left' (two rising notes) or 'time is up' (three)."""
    notes = (660.0, 880.0) if kind == "soon" else (880.0, 660.0, 880.0)
    path = Path(tempfile.gettempdir()) / f"wijkkit-chime-{kind}.wav"
    data = io.BytesIO()
    with wave.open(data, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone(notes))
    if not path.is_file() or path.read_bytes() != data.getvalue():  # a player may still hold the last one
        write_atomically(path, data.getvalue())
    return path


def player() -> list[str] | None:
    if sys.platform == "darwin" and shutil.which("afplay"):
        return ["afplay"]
    for command in LINUX_PLAYERS:
        if shutil.which(command[0]):
            return list(command)
    return None


def play(kind: str = "soon") -> bool:
    """Play the chime in the background; False when this computer cannot."""
    try:
        path = chime_file(kind)
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
            return True
        command = player()
        if command is None:
            return False
        subprocess.Popen([*command, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except Exception:  # noqa: BLE001 - a missing sound must never stop the meeting
        return False
