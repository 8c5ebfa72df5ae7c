#!/usr/bin/env bash
# Real DICOM test files from Debian's python3-pydicom package (~90 files: CT, MR, JPEG, JPEG 2000,
# JPEG-LS, RLE, big endian, implicit VR, character sets). Extracted to .cache/test-data/pydicom.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.cache/test-data"
marker="$dest/pydicom/data/test_files/CT_small.dcm"
[ -f "$marker" ] && exit 0
mkdir -p "$dest/download"
cd "$dest/download"
if ! apt-get download python3-pydicom >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get download python3-pydicom
  else
    echo "✖ could not download python3-pydicom; run as root: apt-get update" >&2
    exit 1
  fi
fi
rm -rf "$dest/extract"
dpkg -x python3-pydicom_*.deb "$dest/extract"
rm -rf "$dest/pydicom"
mv "$dest/extract/usr/lib/python3/dist-packages/pydicom" "$dest/pydicom"
rm -rf "$dest/extract" "$dest/download"
echo "▶ test data: $(find "$dest/pydicom/data" -name '*.dcm' -o -name '*[0-9]' -type f | wc -l) files in $dest/pydicom/data"
