#!/usr/bin/env bash
# Fetches the real photograph the pipeline bench pans over, without installing anything system-wide:
# Debian's mate-backgrounds package, unpacked into .cache/bench-media (never committed).
# nature/Garden.jpg: 2008, Charles Barbin, GPL-2+ (see usr/share/doc/mate-backgrounds/copyright in the unpacked tree).
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=.cache/bench-media
mkdir -p "$dest"
cd "$dest"
[ -f usr/share/backgrounds/mate/nature/Garden.jpg ] && exit 0
apt-get download mate-backgrounds
dpkg-deb -x mate-backgrounds_*.deb .
rm -f mate-backgrounds_*.deb
echo "photograph: $PWD/usr/share/backgrounds/mate/nature/Garden.jpg"
