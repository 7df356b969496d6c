#!/bin/sh
# Makes the virtual environment on a fresh Debian/Ubuntu machine that has only
# python3 and make. Debian splits venv support (python3-venv) and Qt's system
# libraries into separate packages: install them when we may (as root, or with
# sudo that asks no password), otherwise say exactly what to install.
set -e
PYTHON="$1"
VENV="$2"
QT_LIBS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0"

missing=""
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing="python3-venv"
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $QT_LIBS; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Wijkkit needs these system packages first:$missing"
    echo "Install them with: sudo apt-get install$missing"
    exit 1
  fi
  echo "Installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
