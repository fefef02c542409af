#!/usr/bin/env bash
# Installs Module Explorer's build, test and run dependencies from Debian 12 packages.
# Idempotent: packages already present are skipped. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-l10n-tools libgl-dev
  libqcustomplot-dev
  libtorch-dev
  zlib1g-dev
  libgraphviz-dev        # the Graph dock lays out the forward dataflow graph with libgvc/libcgraph
  libopenblas0-pthread   # without it Debian's libtorch runs on the reference BLAS (~8x slower)
  xvfb xauth             # GUI checks and screenshots without a display
  desktop-file-utils appstream  # tst_desktop validates the installed .desktop file and metainfo
  fonts-noto-cjk qt6-translations-l10n  # 简体中文: CJK glyphs, and Qt's own dialog-button translations
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
