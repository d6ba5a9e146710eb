#!/bin/sh
# Builds the libnginx-mod-http-blog and libapache2-mod-blog .debs from this
# working tree, offline:
# copies the tree (without build/ and .git) to a temporary directory, puts
# contrib/debian there as debian/, runs dpkg-buildpackage -b, and leaves
# the packages in build/deb/ (the full log in build/deb/build.log).
#
#     contrib/debian/build.sh          (or: make deb)
#
# BLOG_DEB_KEEP=1 keeps the temporary directory and prints its path.
# dpkg-buildpackage stops early, naming them, when build dependencies are
# missing (see Build-Depends in contrib/debian/control).

set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/deb
log=$out/build.log

for tool in dpkg-buildpackage dpkg-parsechangelog; do
    command -v $tool >/dev/null 2>&1 || {
        echo "$0: $tool not found: apt-get install dpkg-dev debhelper" \
             "nginx-dev apache2-dev" >&2
        exit 1
    }
done

source=$(dpkg-parsechangelog -l "$root/contrib/debian/changelog" -S Source)
version=$(dpkg-parsechangelog -l "$root/contrib/debian/changelog" -S Version)
tree=$source-${version%-*}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/blog-deb-XXXXXX")

if [ "${BLOG_DEB_KEEP:-}" = 1 ]; then
    echo "keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' HUP INT TERM
fi

# The packages get the time the copy began: a source file changed after
# that is newer than them (t/110-deb.t rebuilds then).
touch "$tmp/copied"
mkdir "$tmp/$tree"
(cd "$root" && tar -cf - --exclude=./build --exclude=./.git \
                         --exclude=./debian .) \
    | (cd "$tmp/$tree" && tar -xf -)
cp -a "$root/contrib/debian" "$tmp/$tree/debian"
rm -f "$tmp/$tree/debian/build.sh"

mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes "$log"

echo "building $source $version in $tmp/$tree (log: $log)"

jobs=$(nproc 2>/dev/null || echo 1)

if ! (cd "$tmp/$tree" \
      && DEB_BUILD_OPTIONS="parallel=$jobs ${DEB_BUILD_OPTIONS:-}" \
         dpkg-buildpackage -us -uc -b) > "$log" 2>&1
then
    tail -n 40 "$log" >&2
    echo "$0: dpkg-buildpackage failed; the whole log is $log" >&2
    exit 1
fi

touch -r "$tmp/copied" "$tmp"/*.deb
mv "$tmp"/*.deb "$tmp"/*.buildinfo "$tmp"/*.changes "$out"/

for deb in "$out"/*.deb; do
    echo "built ${deb#$root/}"
done
