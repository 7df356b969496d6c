"""What the bundle tells Windows and macOS about itself, as plain data build.spec passes on.

build.spec runs inside PyInstaller, where nothing can be tested; the facts it hands
over (version numbers, the Windows version resource, the Windows manifest, the macOS
Info.plist, the target architecture, the signing settings) are made here instead, by
pure functions that tests/test_build_spec.py checks on any system.

It lives in tools/ rather than beside the installer scripts in packaging/: with the
checkout on sys.path (pytest's ``pythonpath``, build.spec's ``sys.path.insert``) a
``packaging`` package would shadow PyPA's ``packaging``, which PyInstaller itself imports,
so packaging/ holds no Python.

The release workflow prints the same four numbers for NSIS with ``python -m tools.release_version``.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ICONS = ROOT / "resources" / "icons"

NAME = "Wijkkit"
BUNDLE_ID = "nl.wijkkit.app"
COPYRIGHT = {"nl": "© 2026 de makers van Wijkkit (MIT-licentie)",
             "en": "© 2026 the Wijkkit authors (MIT licence)"}
MACOS_MINIMUM = "14.0"  # PySide6 6.12 needs macOS 14
MACOS_ARCHITECTURES = ("arm64", "x86_64")
ENTITLEMENTS = ROOT / "packaging" / "macos" / "entitlements.plist"

# Windows language ids of the version resource's string tables, with code page 1200 (UTF-16).
LANGUAGES = {"nl": 0x0413, "en": 0x0409}
DESCRIPTIONS = {  # FileDescription: what Task Manager and the file's properties call the program
    "wijkkit": {"nl": "Wijkkit", "en": "Wijkkit"},
    "wijkkit-cli": {"nl": "Wijkkit (opdrachtregel)", "en": "Wijkkit (command line)"},
}

# Both document types the app opens (ui/open_file.py): (UTI, extension, Dutch kind name).
DOCUMENT_TYPES = (
    ("nl.wijkkit.sync-bundle", "wijksync", "Wijkkit-synchronisatiebundel"),
    ("nl.wijkkit.hub-key", "wijkhub", "Wijkkit-hubsleutel"),
)

# PyInstaller's default manifest already asks for long paths; stating it here keeps it
# so when that default changes. asInvoker: a per-user app never asks for elevation.
WINDOWS_MANIFEST = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
  <dependency>
    <dependentAssembly>
      <assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0"
                        processorArchitecture="*" publicKeyToken="6595b64144ccf1df" language="*"/>
    </dependentAssembly>
  </dependency>
</assembly>
"""

_LARGEST = 0xFFFF  # each of the four numbers is a 16-bit word


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """Four numbers for a PEP 440 version: the release padded or cut to four parts, where a
    post-release's number takes the fourth place. Pre-release and dev markers exist only in
    the text ("1.0rc1" is 1.0.0.0, shown as 1.0rc1); a version without numbers is 0.0.0.0."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # PyInstaller needs packaging, so this is for odd environments only
        release, post = _parse_loosely(version)
    else:
        try:
            parsed = Version(version)
            release, post = parsed.release, parsed.post
        except InvalidVersion:
            release, post = _parse_loosely(version)
    numbers = [*release[:4], 0, 0, 0, 0][:4]
    if post is not None and len(release) <= 3:
        numbers[3] = post
    return tuple(min(max(n, 0), _LARGEST) for n in numbers)


def _parse_loosely(version: str) -> tuple[tuple[int, ...], int | None]:
    release = re.match(r"\s*v?(\d+(?:\.\d+)*)", version)
    post = re.search(r"(?:post|rev|r)[._-]?(\d+)", version, re.IGNORECASE)
    return (tuple(int(n) for n in release.group(1).split(".")) if release else (),
            int(post.group(1)) if post else None)


def dotted(numbers: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in numbers)


def windows_version_text(version: str, exe_name: str) -> str:
    """The Windows version resource in PyInstaller's text form (what ``EXE(version=<file>)``
    reads, as pyi-grab_version writes it): string tables in Dutch and English."""
    numbers = version_numbers(version)

    def table(language: str) -> str:
        strings = {
            "CompanyName": NAME,
            "FileDescription": DESCRIPTIONS[exe_name][language],
            "FileVersion": version,
            "InternalName": exe_name,
            "LegalCopyright": COPYRIGHT[language],
            "OriginalFilename": f"{exe_name}.exe",
            "ProductName": NAME,
            "ProductVersion": version,
        }
        structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
        return f"      StringTable(\n        '{LANGUAGES[language]:04X}04B0',\n        [\n{structs}\n        ])"

    tables = ",\n".join(table(language) for language in LANGUAGES)
    translations = ", ".join(f"0x{code:04X}, 1200" for code in LANGUAGES.values())
    return f"""# UTF-8
# The version resource of {exe_name}.exe, made by tools/buildinfo.py for build.spec.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo(
      [
{tables}
      ]),
    VarFileInfo([VarStruct('Translation', [{translations}])])
  ]
)
"""


def macos_target_arch(environ=os.environ, machine: str | None = None) -> str:
    """The one architecture of this macOS build: WIJKKIT_TARGET_ARCH, else the machine's own."""
    wanted = environ.get("WIJKKIT_TARGET_ARCH") or machine or platform.machine()
    if wanted not in MACOS_ARCHITECTURES:
        raise SystemExit(f"WIJKKIT_TARGET_ARCH must be one of {', '.join(MACOS_ARCHITECTURES)}, not {wanted!r}")
    return wanted


def macos_signing(environ=os.environ) -> dict:
    """``codesign_identity`` and ``entitlements_file`` for EXE(): set only with MACOS_SIGN_IDENTITY
    (then PyInstaller signs with the hardened runtime); otherwise PyInstaller signs ad hoc."""
    identity = environ.get("MACOS_SIGN_IDENTITY") or None
    return {"codesign_identity": identity, "entitlements_file": str(ENTITLEMENTS) if identity else None}


def info_plist(version: str) -> dict:
    """The Info.plist entries of Wijkkit.app beyond PyInstaller's minimal ones."""
    icon = "wijkkit.icns"  # BUNDLE copies its icon into Contents/Resources under this name
    return {
        "CFBundleName": NAME,
        "CFBundleDisplayName": NAME,
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,  # shown in Finder, "1.0rc1" as it is
        "CFBundleVersion": dotted(version_numbers(version)[:3]),  # numbers only, as Apple asks
        "CFBundleDevelopmentRegion": "nl",
        "CFBundleLocalizations": ["nl", "en"],
        "LSMinimumSystemVersion": MACOS_MINIMUM,
        "LSApplicationCategoryType": "public.app-category.productivity",
        "NSHighResolutionCapable": True,
        # BUNDLE takes console= from the last EXE (the command line's) and would then mark
        # the app as one without a Dock icon or menu bar.
        "LSBackgroundOnly": False,
        "NSHumanReadableCopyright": COPYRIGHT["nl"],
        "CFBundleDocumentTypes": [
            {"CFBundleTypeName": kind, "CFBundleTypeRole": "Editor", "LSHandlerRank": "Owner",
             "LSItemContentTypes": [uti], "CFBundleTypeIconFile": icon}
            for uti, _suffix, kind in DOCUMENT_TYPES
        ],
        "UTExportedTypeDeclarations": [
            {"UTTypeIdentifier": uti, "UTTypeDescription": kind, "UTTypeConformsTo": ["public.data"],
             "UTTypeIconFile": icon, "UTTypeTagSpecification": {"public.filename-extension": [suffix]}}
            for uti, suffix, kind in DOCUMENT_TYPES
        ],
    }


def icon_for(system: str = sys.platform) -> str | None:
    """The icon file EXE() and BUNDLE() use on ``system``; None where PyInstaller has no use for one."""
    if system == "win32":
        return str(ICONS / "wijkkit.ico")
    if system == "darwin":
        return str(ICONS / "wijkkit.icns")
    return None
