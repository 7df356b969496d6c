#!/usr/bin/env bash
# Packs dist/Wijkkit.app (built by `pyinstaller build.spec` on a Mac) into a disk image,
# signed and notarised when the secrets exist, and says so when they do not.
#
#   packaging/macos/make_dmg.sh [APP] [DMG]
#     APP  the app bundle, default dist/Wijkkit.app
#     DMG  the disk image to write, default dist/Wijkkit-<version>-macos-<arch>.dmg
#
# One dmg per architecture: build the app on an arm64 and on an x86_64 runner (or set
# WIJKKIT_TARGET_ARCH for build.spec) and run this after each build.
#
# Environment (all optional; without them the dmg is unsigned and Gatekeeper warns):
#   MACOS_SIGN_IDENTITY    "Developer ID Application: ..." in the keychain; build.spec signs
#                          the app with it (hardened runtime, packaging/macos/entitlements.plist),
#                          this script checks that signature and signs the dmg.
#   MACOS_NOTARY_PROFILE   a `xcrun notarytool store-credentials` profile, or else
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_SPECIFIC_PASSWORD   the account notarytool logs in with.
#   WIJKKIT_TARGET_ARCH    arm64 or x86_64, for the default file name (default: uname -m).
#   MAKE_DMG_DRY_RUN=1     print the commands instead of running them (tests on Linux).
set -euo pipefail

app="${1:-dist/Wijkkit.app}"
arch="${WIJKKIT_TARGET_ARCH:-$(uname -m)}"
dry_run="${MAKE_DMG_DRY_RUN:-}"

run() {
    if [[ -n "$dry_run" ]]; then
        printf 'would run:'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

if [[ ! -d "$app/Contents/MacOS" ]]; then
    echo "error: $app is not an app bundle; build it first: pyinstaller build.spec" >&2
    exit 2
fi

version=""
if [[ -z "$dry_run" ]]; then
    version="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")"
fi
dmg="${2:-dist/Wijkkit-${version:-dev}-macos-${arch}.dmg}"

# 1. Signing: build.spec signed the app when MACOS_SIGN_IDENTITY was set; check it.
signed=""
if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
    run codesign --verify --deep --strict --verbose=2 "$app"
    signed=1
else
    echo "signing skipped: MACOS_SIGN_IDENTITY not set (the app carries PyInstaller's ad-hoc signature)"
fi

# 2. The disk image: the app beside a link to /Applications, to drag it onto.
staging="$(mktemp -d "${TMPDIR:-/tmp}/wijkkit-dmg.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
run ditto "$app" "$staging/$(basename "$app")"  # keeps links, attributes and signatures
run ln -s /Applications "$staging/Applications"
run rm -f "$dmg"
run hdiutil create -volname "Wijkkit" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
if [[ -n "$signed" ]]; then
    run codesign --sign "$MACOS_SIGN_IDENTITY" --timestamp "$dmg"
fi

# 3. Notarisation, then the ticket stapled to the dmg so it opens offline too.
notary=()
if [[ -n "${MACOS_NOTARY_PROFILE:-}" ]]; then
    notary=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [[ -n "${APPLE_ID:-}" && -n "${APPLE_TEAM_ID:-}" && -n "${APPLE_APP_SPECIFIC_PASSWORD:-}" ]]; then
    notary=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_SPECIFIC_PASSWORD")
fi
if [[ ${#notary[@]} -eq 0 ]]; then
    echo "notarisation skipped: neither MACOS_NOTARY_PROFILE nor APPLE_ID, APPLE_TEAM_ID and APPLE_APP_SPECIFIC_PASSWORD set"
elif [[ -z "$signed" ]]; then
    echo "notarisation skipped: Apple notarises signed apps only, and MACOS_SIGN_IDENTITY is not set"
elif [[ -n "$dry_run" ]]; then
    run xcrun notarytool submit "$dmg" "${notary[@]}" --wait
    run xcrun stapler staple "$dmg"
else
    result="$(xcrun notarytool submit "$dmg" "${notary[@]}" --wait 2>&1)" || true
    echo "$result"
    if ! grep -q "status: Accepted" <<<"$result"; then
        echo "error: notarisation did not succeed; see the log: xcrun notarytool log <id> ${notary[*]:0:2}" >&2
        exit 1
    fi
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
fi

run hdiutil verify "$dmg"
echo "wrote $dmg"
