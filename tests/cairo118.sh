#!/bin/sh
# Fetch Debian 13 (trixie)'s cairo 1.18 source and build it into a private prefix, so that
# goodiebag can be built and tested against the cairo of current distributions on a Debian 12
# machine: `make build/cairo118/goodiebag` then links against it (rpath) and tests/t_cairo118.sh
# runs the PDF and accessibility tests with it.
# Usage: sh tests/cairo118.sh [DIR]   (DIR defaults to /work/cairo118; the prefix is DIR/prefix)
# Needs (as root, once): a deb-src line for trixie in /etc/apt/sources.list.d/, and meson >= 1.3
# (bookworm-backports): apt-get install -t bookworm-backports meson; plus ninja-build, dpkg-dev,
# libpixman-1-dev libfreetype-dev libfontconfig-dev libpng-dev zlib1g-dev (installed for goodiebag).
set -eu
dir=${1:-/work/cairo118}
mkdir -p "$dir"
cd "$dir"
if ! ls cairo_1.18*.dsc >/dev/null 2>&1; then
	apt-get source --download-only cairo/trixie
fi
if [ ! -d src ]; then
	dpkg-source -x cairo_1.18*.dsc src
fi
if [ ! -d build ]; then
	meson setup build src --prefix="$dir/prefix" --libdir=lib --buildtype=release \
		--wrap-mode=nofallback \
		-Dxlib=disabled -Dxcb=disabled -Dquartz=disabled -Ddwrite=disabled \
		-Dtests=disabled -Dglib=disabled -Dspectre=disabled -Dlzo=disabled \
		-Dsymbol-lookup=disabled -Dgtk2-utils=disabled \
		-Dfreetype=enabled -Dfontconfig=enabled -Dpng=enabled -Dzlib=enabled
fi
ninja -C build
ninja -C build install >/dev/null
echo "cairo $(PKG_CONFIG_PATH="$dir/prefix/lib/pkgconfig" pkg-config --modversion cairo) in $dir/prefix"
