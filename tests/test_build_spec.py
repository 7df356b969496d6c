"""What the bundle tells Windows and macOS, checked without running PyInstaller (issue 15, 1 and 14).

build.spec only runs inside PyInstaller, and its Windows and macOS branches only on
those systems; the facts it passes on come from tools/buildinfo.py, tested here,
and the spec's own choices (two executables, which one is windowed) are read from its
syntax tree. The version resource and the manifest go through PyInstaller's own
classes, so a text PyInstaller would refuse on Windows fails here first.
"""

from __future__ import annotations

import ast
import plistlib
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tools import buildinfo

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
MAKE_DMG = ROOT / "packaging" / "macos" / "make_dmg.sh"


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)),
    ("1.2", (1, 2, 0, 0)),
    ("1.0rc1", (1, 0, 0, 0)),  # the old spec raised ValueError on int("0rc1")
    ("1.0.post2", (1, 0, 0, 2)),
    ("2.1.dev3", (2, 1, 0, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)),
    ("1.2.3.post7", (1, 2, 3, 7)),
    ("1!2.0", (2, 0, 0, 0)),  # an epoch is not a number Windows shows
    ("70000.1", (65535, 1, 0, 0)),  # each number is a 16-bit word
    ("not a version", (0, 0, 0, 0)),
])
def test_version_numbers_from_pep_440(version, numbers, monkeypatch):
    assert buildinfo.version_numbers(version) == numbers
    if version not in ("1!2.0",):  # without PyPA's packaging, a regular expression does the same
        monkeypatch.setitem(sys.modules, "packaging.version", None)
        assert buildinfo.version_numbers(version) == numbers


@pytest.fixture
def pyinstaller_win32(monkeypatch):
    """PyInstaller's Windows version-resource module, importable on any system."""
    compat = pytest.importorskip("PyInstaller.compat")
    monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
    for name in ("win32api", "pywintypes"):
        monkeypatch.setattr(compat, name, getattr(compat, name, None), raising=False)
    from PyInstaller.utils.win32 import versioninfo, winmanifest

    return versioninfo, winmanifest


@pytest.mark.parametrize("version", ["1.0rc1", "1.2", "1.2.3.4.5", "2.1.dev3"])
def test_the_version_resource_speaks_dutch_and_english(version, pyinstaller_win32, tmp_path):
    versioninfo, _ = pyinstaller_win32
    text = buildinfo.windows_version_text(version, "wijkkit")
    (tmp_path / "version.txt").write_text(text, encoding="utf-8")
    info = versioninfo.load_version_info_from_text_file(str(tmp_path / "version.txt"))
    assert info.toRaw()  # PyInstaller can write it into the executable

    major, minor, micro, build = buildinfo.version_numbers(version)
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == ((major << 16) | minor, (micro << 16) | build)
    string_info, var_info = info.kids
    tables = {table.name: {s.name: s.val for s in table.kids} for table in string_info.kids}
    assert set(tables) == {"041304B0", "040904B0"}  # Dutch and English, UTF-16
    for strings in tables.values():
        assert strings["CompanyName"] == strings["ProductName"] == strings["FileDescription"] == "Wijkkit"
        assert strings["FileVersion"] == strings["ProductVersion"] == version
        assert strings["OriginalFilename"] == "wijkkit.exe"
        assert "Wijkkit" in strings["LegalCopyright"]
    assert var_info.kids[0].kids == [0x0413, 1200, 0x0409, 1200]


def test_the_command_line_exe_says_what_it_is(pyinstaller_win32, tmp_path):
    versioninfo, _ = pyinstaller_win32
    (tmp_path / "v.txt").write_text(buildinfo.windows_version_text("1.0", "wijkkit-cli"), encoding="utf-8")
    info = versioninfo.load_version_info_from_text_file(str(tmp_path / "v.txt"))
    strings = {t.name: {s.name: s.val for s in t.kids} for t in info.kids[0].kids}
    assert strings["041304B0"]["FileDescription"] == "Wijkkit (opdrachtregel)"
    assert strings["040904B0"]["OriginalFilename"] == "wijkkit-cli.exe"


def test_the_windows_manifest_allows_long_paths_without_elevation(pyinstaller_win32):
    _, winmanifest = pyinstaller_win32
    manifest = winmanifest.create_application_manifest(buildinfo.WINDOWS_MANIFEST.encode("utf-8"), False, False)
    text = manifest.decode("utf-8")
    assert '<longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>' in text
    assert 'level="asInvoker"' in text


def test_the_info_plist_declares_the_app_and_its_documents():
    plist = buildinfo.info_plist("1.0rc1")
    plistlib.loads(plistlib.dumps(plist))  # every value is something a plist holds
    assert plist["CFBundleIdentifier"] == "nl.wijkkit.app"
    assert plist["CFBundleName"] == plist["CFBundleDisplayName"] == "Wijkkit"
    assert plist["CFBundleShortVersionString"] == "1.0rc1"
    assert plist["CFBundleVersion"] == "1.0.0"
    assert plist["LSMinimumSystemVersion"] == "14.0"
    assert plist["NSHighResolutionCapable"] is True and plist["LSBackgroundOnly"] is False
    assert plist["CFBundleDevelopmentRegion"] == "nl" and plist["CFBundleLocalizations"] == ["nl", "en"]
    assert plist["LSApplicationCategoryType"] == "public.app-category.productivity"
    assert "Wijkkit" in plist["NSHumanReadableCopyright"]

    icon = Path(buildinfo.icon_for("darwin"))
    assert icon.is_file()
    exported = {t["UTTypeTagSpecification"]["public.filename-extension"][0]: t
                for t in plist["UTExportedTypeDeclarations"]}
    assert set(exported) == {"wijksync", "wijkhub"}
    handled = {uti for d in plist["CFBundleDocumentTypes"] for uti in d["LSItemContentTypes"]}
    assert handled == {t["UTTypeIdentifier"] for t in exported.values()}
    for declaration in [*plist["CFBundleDocumentTypes"], *plist["UTExportedTypeDeclarations"]]:
        assert icon.name in (declaration.get("CFBundleTypeIconFile"), declaration.get("UTTypeIconFile"))


def test_pyinstaller_reads_every_frame_of_the_ico(pyinstaller_win32):
    from PyInstaller.utils.win32.icon import IconFile

    icon = IconFile(buildinfo.icon_for("win32"))
    # PyInstaller reads the width byte as signed (128 is -128) and 256 is stored as 0
    assert sorted(entry.bWidth % 256 or 256 for entry in icon.entries) == [16, 20, 24, 32, 40, 48, 64, 128, 256]
    assert [len(image) for image in icon.images] == [entry.dwBytesInRes for entry in icon.entries]


def test_one_architecture_per_mac_build():
    assert buildinfo.macos_target_arch({"WIJKKIT_TARGET_ARCH": "x86_64"}, machine="arm64") == "x86_64"
    assert buildinfo.macos_target_arch({}, machine="arm64") == "arm64"
    with pytest.raises(SystemExit, match="WIJKKIT_TARGET_ARCH"):
        buildinfo.macos_target_arch({"WIJKKIT_TARGET_ARCH": "universal2"}, machine="arm64")


def test_signing_only_with_an_identity():
    assert buildinfo.macos_signing({}) == {"codesign_identity": None, "entitlements_file": None}
    signing = buildinfo.macos_signing({"MACOS_SIGN_IDENTITY": "Developer ID Application: Wijkkit (TEAM)"})
    assert signing["codesign_identity"].startswith("Developer ID")
    entitlements = plistlib.loads(Path(signing["entitlements_file"]).read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


def test_icons_exist_for_windows_and_macos():
    assert buildinfo.icon_for("win32").endswith(".ico") and Path(buildinfo.icon_for("win32")).is_file()
    assert buildinfo.icon_for("darwin").endswith(".icns") and Path(buildinfo.icon_for("darwin")).is_file()
    assert buildinfo.icon_for("linux") is None  # PyInstaller ignores icons there, with a warning


def _calls(name: str) -> list[ast.Call]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name]


def _keywords(call: ast.Call) -> dict:
    return {k.arg: k.value for k in call.keywords}


def test_the_app_is_windowed_and_the_command_line_a_console_exe():
    made = {ast.literal_eval(c.args[0]): ast.literal_eval(_keywords(c)["console"]) for c in _calls("executable")}
    assert made == {"wijkkit": False, "wijkkit-cli": True}
    (exe,) = _calls("EXE")  # both through one EXE() call: the same settings apart from these two
    options = _keywords(exe)
    assert ast.unparse(options["console"]) == "console" and ast.unparse(options["name"]) == "name"
    assert ast.literal_eval(options["uac_admin"]) is False
    for option in ("icon", "version", "manifest", "target_arch", "argv_emulation"):
        assert option in options
    (collect,) = _calls("COLLECT")
    assert [ast.unparse(arg) for arg in collect.args[:2]] == ["app_exe", "cli_exe"]  # the .app starts the first


def test_the_bundle_starts_in_the_launcher():
    (analysis,) = _calls("Analysis")
    assert "wijkkit_launcher.py" in ast.unparse(analysis.args[0])
    assert (ROOT / "wijkkit_launcher.py").is_file()


def test_the_mac_app_gets_the_plist_and_icon():
    (bundle,) = _calls("BUNDLE")
    options = _keywords(bundle)
    assert ast.unparse(options["info_plist"]) == "buildinfo.info_plist(__version__)"
    assert "icon_for" in ast.unparse(options["icon"])


@pytest.mark.only_on("posix", reason="make_dmg.sh is a bash script for macOS; its dry run needs bash")
def test_make_dmg_without_secrets_says_signing_is_skipped(tmp_path):
    assert subprocess.run(["bash", "-n", str(MAKE_DMG)]).returncode == 0
    if shutil.which("shellcheck"):
        done = subprocess.run(["shellcheck", str(MAKE_DMG)], capture_output=True, text=True, encoding="utf-8")
        assert done.returncode == 0, done.stdout
    app = tmp_path / "Wijkkit.app"
    (app / "Contents" / "MacOS").mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin", "MAKE_DMG_DRY_RUN": "1", "WIJKKIT_TARGET_ARCH": "arm64"}
    done = subprocess.run(["bash", str(MAKE_DMG), str(app)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "signing skipped: MACOS_SIGN_IDENTITY not set" in done.stdout
    assert "notarisation skipped" in done.stdout
    assert "hdiutil create" in done.stdout and "Wijkkit-dev-macos-arm64.dmg" in done.stdout
    assert "codesign" not in done.stdout


@pytest.mark.only_on("posix", reason="make_dmg.sh is a bash script for macOS; its dry run needs bash")
def test_make_dmg_signs_and_notarises_when_the_secrets_exist(tmp_path):
    app = tmp_path / "Wijkkit.app"
    (app / "Contents" / "MacOS").mkdir(parents=True)
    env = {"PATH": "/usr/bin:/bin", "MAKE_DMG_DRY_RUN": "1", "MACOS_SIGN_IDENTITY": "Developer ID Application: W",
           "APPLE_ID": "a@example.org", "APPLE_TEAM_ID": "TEAM", "APPLE_APP_SPECIFIC_PASSWORD": "secret"}
    done = subprocess.run(["bash", str(MAKE_DMG), str(app), str(tmp_path / "w.dmg")], env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "skipped" not in done.stdout
    for step in ("codesign --verify", "codesign --sign", "notarytool submit", "stapler staple"):
        assert step in done.stdout


@pytest.mark.only_on("posix", reason="make_dmg.sh is a bash script for macOS")
def test_make_dmg_refuses_a_missing_app(tmp_path):
    done = subprocess.run(["bash", str(MAKE_DMG), str(tmp_path / "nothing.app")],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 2 and "not an app bundle" in done.stderr


class _Recorded:
    """Stands in for one of PyInstaller's spec classes and keeps what the spec passed."""

    calls: list = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.binaries, self.pure, self.scripts = [], [], []
        self.datas = [("PySide6/Qt/translations/qtbase_nl.qm", "/x/qtbase_nl.qm", "DATA"),
                      ("resources/icons/wijkkit.ico", "/x/wijkkit.ico", "DATA"),
                      ("resources/icons/wijkkit-256.png", "/x/wijkkit-256.png", "DATA")]
        _Recorded.calls.append((type(self).__name__, self))


def _run_spec_as(system: str, tmp_path, monkeypatch, environ=None) -> dict:
    """Runs build.spec as PyInstaller would on ``system``, with its classes recorded, not run."""
    import PyInstaller.utils.hooks

    monkeypatch.setattr(PyInstaller.utils.hooks, "collect_submodules", lambda name: [name])
    monkeypatch.setattr(sys, "platform", system)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the checkout first
    for name, value in (environ or {}).items():
        monkeypatch.setenv(name, value)
    _Recorded.calls = []
    names = {name: type(name, (_Recorded,), {}) for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    namespace = {"SPECPATH": str(ROOT), "workpath": str(tmp_path / "build"), "DISTPATH": str(tmp_path / "dist"),
                 "__name__": "__main__", **names}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    found: dict = {}
    for kind, made in _Recorded.calls:
        found.setdefault(kind, []).append(made)
    return found


def test_the_spec_as_windows_runs_it(tmp_path, monkeypatch, pyinstaller_win32):
    versioninfo, _ = pyinstaller_win32
    made = _run_spec_as("win32", tmp_path, monkeypatch)
    exes = {exe.kwargs["name"]: exe.kwargs for exe in made["EXE"]}
    assert {name: kwargs["console"] for name, kwargs in exes.items()} == {"wijkkit": False, "wijkkit-cli": True}
    for name, kwargs in exes.items():
        assert kwargs["icon"].endswith("wijkkit.ico") and kwargs["uac_admin"] is False
        assert "longPathAware" in kwargs["manifest"]
        info = versioninfo.load_version_info_from_text_file(kwargs["version"])
        assert {s.name: s.val for s in info.kids[0].kids[1].kids}["OriginalFilename"] == f"{name}.exe"
    (collect,) = made["COLLECT"]
    assert [exe.kwargs["name"] for exe in collect.args[:2]] == ["wijkkit", "wijkkit-cli"]
    assert [Path(d[0]).name for d in collect.args[3]] == ["qtbase_nl.qm", "wijkkit-256.png"]  # no .ico inside
    assert "BUNDLE" not in made


def test_the_spec_as_macos_runs_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MACOS_SIGN_IDENTITY", raising=False)
    made = _run_spec_as("darwin", tmp_path, monkeypatch, {"WIJKKIT_TARGET_ARCH": "arm64"})
    for exe in made["EXE"]:
        assert exe.kwargs["target_arch"] == "arm64" and exe.kwargs["icon"].endswith("wijkkit.icns")
        assert exe.kwargs["codesign_identity"] is None and exe.kwargs["argv_emulation"] is False
        assert exe.kwargs["version"] is None and exe.kwargs["manifest"] is None
    assert "signing skipped: MACOS_SIGN_IDENTITY not set" in capsys.readouterr().out
    (bundle,) = made["BUNDLE"]
    assert bundle.kwargs["name"] == "Wijkkit.app" and bundle.kwargs["bundle_identifier"] == "nl.wijkkit.app"
    assert bundle.kwargs["info_plist"]["LSMinimumSystemVersion"] == "14.0"


def test_the_spec_signs_on_macos_with_an_identity(tmp_path, monkeypatch):
    identity = "Developer ID Application: Wijkkit (TEAM)"
    made = _run_spec_as("darwin", tmp_path, monkeypatch, {"WIJKKIT_TARGET_ARCH": "x86_64",
                                                            "MACOS_SIGN_IDENTITY": identity})
    for exe in made["EXE"]:
        assert exe.kwargs["codesign_identity"] == identity and exe.kwargs["target_arch"] == "x86_64"
        assert exe.kwargs["entitlements_file"].endswith("entitlements.plist")
