"""The release files say what issue 15 asks of them: the NSIS installer, the workflow, the per-OS constraints, the portable zip.

The installer script is read for what it must do (per user, HKCU associations for both file
types, Dutch and English, refusing while Wijkkit runs) and, where makensis is installed, compiled
with -WX against a small fake bundle with the real Windows executable names: .ci/run (Linux) and
the Windows release job install nsis, so there the compile never skips. The workflow is read key by key (.ci/run lints it with actionlint,
the real parse). The constraint files must keep every Linux pin and pin what only Windows or
macOS installs.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.portable import TOOLS_REQUIRED
from tools import portable_zip
from tools.release_version import numeric

ROOT = Path(__file__).resolve().parent.parent
NSI = ROOT / "packaging" / "windows" / "wijkkit.nsi"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def nsi_text() -> str:
    return NSI.read_text(encoding="utf-8")


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    found = dict(line.lower().split("==") for line in lines if line and not line.startswith("#"))
    return {re.sub(r"[-_.]+", "-", key): version for key, version in found.items()}


# ---- the installer script -------------------------------------------------------------


def test_the_installer_is_per_user_into_local_app_data():
    text = nsi_text()
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\Wijkkit"' in text
    assert "SetShellVarContext current" in text
    assert "HKLM" not in text  # nothing that needs an administrator


def test_the_uninstaller_is_registered_for_this_user():
    text = nsi_text()
    assert '!define UNINST_KEY "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Wijkkit"' in text
    for value in ("DisplayName", "DisplayVersion", "Publisher", "DisplayIcon", "UninstallString",
                  "QuietUninstallString", "InstallLocation", "EstimatedSize", "NoModify", "NoRepair"):  # fmt: skip
        assert re.search(rf'WriteReg(Str|DWORD) HKCU "\$\{{UNINST_KEY\}}" "{value}"', text), value
    assert 'DeleteRegKey HKCU "${UNINST_KEY}"' in text


@pytest.mark.parametrize(("extension", "progid"), [(".wijksync", "Wijkkit.SyncBundle"), (".wijkhub", "Wijkkit.HubKey")])
def test_both_file_types_open_with_the_windowed_app_and_are_removed_again(extension, progid):
    text = nsi_text()
    assert f'!insertmacro ASSOCIATE "{extension}" "{progid}"' in text
    assert f'!insertmacro DISSOCIATE "{extension}" "{progid}"' in text
    assert 'WriteRegStr HKCU "Software\\Classes\\${PROGID}\\shell\\open\\command" "" \'"$INSTDIR\\${APP_EXE}" "%1"\'' in text
    assert "DefaultIcon" in text
    assert '!define /ifndef APP_EXE "wijkkit.exe"' in text and '!define /ifndef CLI_EXE "wijkkit-cli.exe"' in text
    assert text.count("${NOTIFY_ASSOCIATIONS}") == 2 and "SHChangeNotify" in text


def test_dutch_first_then_english_with_every_own_text_in_both():
    text = nsi_text()
    assert text.index('MUI_LANGUAGE "Dutch"') < text.index('MUI_LANGUAGE "English"')
    dutch = set(re.findall(r"^LangString (\w+) \$\{LANG_DUTCH\}", text, re.M))
    english = set(re.findall(r"^LangString (\w+) \$\{LANG_ENGLISH\}", text, re.M))
    used = set(re.findall(r"\$\((\w+)\)", text))
    assert dutch == english == used, (dutch, english, used)


def test_install_and_uninstall_refuse_while_wijkkit_runs():
    text = nsi_text()
    in_use = text[text.index("!macro WIJKKIT_IN_USE"):text.index("!macroend", text.index("!macro WIJKKIT_IN_USE"))]
    assert 'FileOpen $0 "$INSTDIR\\${APP_EXE}" a' in in_use and 'FileOpen $0 "$INSTDIR\\${CLI_EXE}" a' in in_use
    assert "/SD IDCANCEL" in in_use and "SetErrorLevel 2" in in_use  # silent: no question, exit code 2
    for function in ("Function .onInit", "Function DirectoryLeave", "Function un.onInit"):
        body = text[text.index(function):text.index("FunctionEnd", text.index(function))]
        assert "RefuseWhileRunning" in body, function


def test_the_uninstaller_leaves_the_users_data_alone():
    text = nsi_text()
    uninstall = text[text.index('Section "Uninstall"'):]
    assert 'RMDir "$INSTDIR"' in uninstall  # only when empty: a wijkkit-data folder keeps it
    assert 'RMDir /r "$INSTDIR"' not in text and "wijkkit-data" not in uninstall.replace("(wijkkit-data", "")
    assert "%LOCALAPPDATA%\\wijkkit" in text  # the finish page says where the data stays


def fake_bundle(folder: Path) -> Path:
    (folder / "_internal").mkdir(parents=True)
    for name in ("wijkkit.exe", "wijkkit-cli.exe"):
        (folder / name).write_bytes(b"MZ placeholder")
    (folder / "_internal" / "python312.dll").write_bytes(b"placeholder")
    return folder


def test_makensis_compiles_the_script_without_warnings(tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        if TOOLS_REQUIRED:
            pytest.fail("makensis is missing on CI: .ci/run installs the Debian package nsis")
        pytest.skip("makensis is not installed (apt-get install nsis); .ci/run and the Windows release job have it")
    dist = fake_bundle(tmp_path / "Wijkkit")
    out = tmp_path / "Wijkkit-0.0.0-windows-x64-setup.exe"
    result = subprocess.run([makensis, "-WX", "-V2", "-DUNCOMPRESSED", f"-DDIST={dist}", f"-DOUTFILE={out}",
                             "-DVERSION=1.0rc1", f"-DVIVERSION={numeric('1.0rc1')}", str(NSI)],
                            capture_output=True, text=True, encoding="utf-8", errors="replace")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_makensis_refuses_a_bundle_without_the_command_line_exe(tmp_path):
    if shutil.which("makensis") is None:
        pytest.skip("makensis is not installed; the compile test above says whether CI has it")
    dist = fake_bundle(tmp_path / "Wijkkit")
    (dist / "wijkkit-cli.exe").unlink()
    result = subprocess.run(["makensis", "-V2", f"-DDIST={dist}", f"-DOUTFILE={tmp_path / 'x-setup.exe'}", str(NSI)],
                            capture_output=True, text=True, encoding="utf-8", errors="replace")  # fmt: skip
    assert result.returncode != 0 and "No wijkkit-cli.exe in" in result.stdout + result.stderr


def test_the_installer_and_the_exe_carry_the_same_four_numbers():
    """NSIS's VIProductVersion (release_version) and the exe's version resource (buildinfo) agree."""
    assert [numeric(v) for v in ("0.1.0", "1.0rc1", "2", "1.2.3.4", "3.1.post2")] == [
        "0.1.0.0", "1.0.0.0", "2.0.0.0", "1.2.3.4", "3.1.0.2"]  # fmt: skip


# ---- the workflow ---------------------------------------------------------------------


def key_paths(text: str) -> dict[str, list[str]]:
    """"a.b.c" -> the values written at that key (list items under it as "- x"), by indentation.
    Enough for a workflow's shape; block scalars (run: |) are skipped. actionlint does the real parse."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    block = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        assert "\t" not in line[:indent], line
        if block is not None and indent > block:
            continue
        block = None
        item = line.lstrip().removeprefix("- ")
        indent += len(line.lstrip()) - len(item)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key, colon, value = item.partition(":")
        value = value.split(" #")[0].strip()
        if colon and re.fullmatch(r"[\w.-]+", key):
            path = ".".join([k for _, k in stack] + [key])
            if value in ("|", ">-", ">", "|-"):
                block = indent
            elif value:
                found.setdefault(path, []).append(value.strip('"'))
            stack.append((indent, key))
    return found


def test_the_workflow_builds_on_three_runners_with_python_3_12():
    text = WORKFLOW.read_text(encoding="utf-8")
    keys = key_paths(text)
    assert keys["on.push.tags"] == ['["v*"]'] and "\n  workflow_dispatch:\n" in text
    assert keys["jobs.windows.runs-on"] == ["windows-latest"]
    assert keys["jobs.macos.strategy.matrix.include.runner"] == ["macos-15", "macos-15-intel"]
    assert keys["jobs.macos.strategy.matrix.include.arch"] == ["arm64", "x86_64"]
    assert keys["jobs.windows.steps.with.python-version"] == keys["jobs.macos.steps.with.python-version"] == ["3.12"]
    assert keys["jobs.windows.steps.with.architecture"] == ["x64"]


def test_the_workflow_tests_builds_smoke_tests_installs_and_uploads():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count("-c constraints-windows.txt") == 1 and text.count("-c constraints-macos.txt") == 1
    assert text.count("python -m pytest -q") == 2 and "QT_QPA_PLATFORM: offscreen" in text
    assert text.count("pyinstaller --noconfirm --clean build.spec") == 2
    assert "WIJKKIT_TARGET_ARCH: ${{ matrix.arch }}" in text
    for smoke in ("dist/Wijkkit/wijkkit-cli.exe --smoke-test", "(Join-Path $dir 'wijkkit-cli.exe') --smoke-test",
                  "dist/Wijkkit.app/Contents/MacOS/wijkkit-cli --smoke-test"):  # fmt: skip
        assert smoke in text
    assert "packaging/windows/wijkkit.nsi" in text and "-ArgumentList '/S'" in text
    assert "uninstall.exe') -ArgumentList '/S' -Wait" in text and "is still there" in text
    assert "python -m tools.portable_zip dist/Wijkkit" in text
    assert "packaging/macos/make_dmg.sh" in text and "secrets.APPLE_ID" in text
    assert text.count("actions/upload-artifact@v4") == 2


def test_actionlint_knows_the_runner_labels_the_workflow_uses():
    labels = re.findall(r"^\s+- ([\w.-]+)", (ROOT / ".github" / "actionlint.yaml").read_text(encoding="utf-8"), re.M)
    assert {"macos-15", "macos-15-intel"} <= set(labels)


# ---- per-OS constraints (problem 15) ------------------------------------------------------


@pytest.mark.parametrize(("name", "only_there"), [
    ("constraints-windows.txt", {"pefile", "pywin32-ctypes", "colorama"}),
    ("constraints-macos.txt", {"macholib"}),
])  # fmt: skip
def test_each_os_keeps_the_linux_pins_and_pins_its_own_packages(name, only_there):
    linux, there = pins("constraints.txt"), pins(name)
    assert only_there <= there.keys()
    assert {key: there[key] for key in there.keys() & linux.keys()} == {key: linux[key] for key in there.keys() & linux.keys()}
    assert "secretstorage" not in there and "jeepney" not in there  # Linux-only: keyring's Secret Service
    for runtime in ("pyside6-essentials", "pyrage", "python-bidi", "sqlcipher3", "tzdata", "pyinstaller", "pytest"):
        assert there[runtime] == linux[runtime]


def test_the_constraints_tool_walks_requirements_with_the_targets_markers():
    from tools import constraints_for

    resolved = {
        "keyring": {"version": "25.7.0", "requires_dist": [
            'pywin32-ctypes>=0.2.0; sys_platform == "win32"', 'SecretStorage>=3.2; sys_platform == "linux"',
            'pytest; extra == "test"']},
        "secretstorage": {"version": "3.5.0", "requires_dist": ["jeepney>=0.6"]},
        "jeepney": {"version": "0.9.0"},
    }  # fmt: skip
    windows = constraints_for.environment("win_amd64")
    assert constraints_for.needed(["keyring>=25"], resolved, windows) == ({"keyring": "25.7.0"}, ["pywin32-ctypes>=0.2.0"])
    resolved["pywin32-ctypes"] = {"version": "0.2.3"}
    assert constraints_for.needed(["keyring>=25"], resolved, windows)[0] == {"keyring": "25.7.0", "pywin32-ctypes": "0.2.3"}
    mac = constraints_for.environment("macosx_14_0_x86_64")
    assert constraints_for.needed(["keyring"], resolved, mac) == ({"keyring": "25.7.0"}, [])


# ---- the portable zip ---------------------------------------------------------------------


def test_the_portable_zip_has_an_empty_data_folder_a_readme_and_is_the_same_each_time(tmp_path):
    dist = fake_bundle(tmp_path / "dist" / "Wijkkit")
    (dist / "_internal" / "sub").mkdir()
    (dist / "_internal" / "sub" / "b.txt").write_text("b", encoding="utf-8")
    (dist / "wijkkit.exe").chmod(0o755)
    first = portable_zip.make_zip(dist, tmp_path / "one.zip")
    os.utime(dist / "_internal" / "python312.dll", (1e9, 1e9))  # another build time, the same zip
    second = portable_zip.make_zip(dist, tmp_path / "two.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == ["Wijkkit/", "Wijkkit/_internal/python312.dll", "Wijkkit/_internal/sub/b.txt",
                         "Wijkkit/wijkkit-cli.exe", "Wijkkit/wijkkit.exe", "Wijkkit/wijkkit-data/",
                         "Wijkkit/LEESMIJ.txt"]  # fmt: skip
        assert archive.getinfo("Wijkkit/wijkkit-data/").is_dir()
        assert archive.read("Wijkkit/wijkkit.exe") == b"MZ placeholder"
        assert stat.S_IMODE(archive.getinfo("Wijkkit/wijkkit.exe").external_attr >> 16) == 0o755
        assert {info.date_time for info in archive.infolist()} == {portable_zip.STAMP}
        readme = archive.read("Wijkkit/LEESMIJ.txt").decode("utf-8")
    assert "\r\n" in readme and "wachtzin" in readme and "nooit op de computer" in readme
    assert " je " not in readme and " jij " not in readme  # the reader is "u"
    unpacked = tmp_path / "stick"
    zipfile.ZipFile(first).extractall(unpacked)
    assert (unpacked / "Wijkkit" / "wijkkit-data").is_dir() and not any((unpacked / "Wijkkit" / "wijkkit-data").iterdir())


def test_the_portable_folder_name_is_the_one_wijkkit_looks_for():
    from wijkkit import paths

    assert portable_zip.PORTABLE_FOLDER == paths.PORTABLE_FOLDER


def test_the_portable_zip_refuses_a_missing_bundle(tmp_path):
    with pytest.raises(SystemExit, match="no bundle folder"):
        portable_zip.make_zip(tmp_path / "nothing", tmp_path / "out.zip")


def test_the_packaging_folder_never_shadows_the_packaging_module():
    """packaging/ (installer scripts) sits on sys.path's first entry; it must stay a plain folder."""
    import packaging.version

    assert not list((ROOT / "packaging").rglob("__init__.py"))
    assert Path(packaging.version.__file__).resolve().parent != (ROOT / "packaging").resolve()
