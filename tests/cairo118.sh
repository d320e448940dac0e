#!/bin/sh
# Fetches Debian 13 (trixie)'s cairo 1.18 source and builds it into a private
# prefix, so that goodiebag can be built and tested against the cairo of
# current distributions on a Debian 12 machine: `make build/cairo118/goodiebag`
# then links against it (rpath) and tests/t_cairo118.sh runs the PDF and
# accessibility tests with it. `make cairo118` runs this script.
# Usage: sh tests/cairo118.sh [PREFIX]   (default /work/cairo118/prefix; the
# source and build folders go next to PREFIX)
# Needs, once, as root:
#   printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
#     > /etc/apt/sources.list.d/trixie-src.sources
#   printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
#     > /etc/apt/sources.list.d/bookworm-backports.sources
#   apt-get update && apt-get install -y -t bookworm-backports meson && apt-get install -y ninja-build dpkg-dev
# (cairo 1.18.4 needs meson >= 1.3; pixman, FreeType, fontconfig, libpng and
# zlib come from goodiebag's own build dependencies.) Takes about 2 minutes.
set -eu
prefix=${1:-/work/cairo118/prefix}
dir=$(dirname "$prefix")
mkdir -p "$dir"
cd "$dir"
if ! ls cairo_1.18*.dsc >/dev/null 2>&1; then
	apt-get source --download-only cairo/trixie
fi
if [ ! -d src ]; then
	dpkg-source -x cairo_1.18*.dsc src
fi
if [ ! -d build ]; then
	meson setup build src --prefix="$prefix" --libdir=lib --buildtype=release \
		--wrap-mode=nofallback \
		-Dxlib=disabled -Dxcb=disabled -Dquartz=disabled -Ddwrite=disabled \
		-Dtests=disabled -Dglib=disabled -Dspectre=disabled -Dlzo=disabled \
		-Dsymbol-lookup=disabled -Dgtk2-utils=disabled \
		-Dfreetype=enabled -Dfontconfig=enabled -Dpng=enabled -Dzlib=enabled
fi
ninja -C build
ninja -C build install >/dev/null
echo "cairo $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion cairo) in $prefix"
