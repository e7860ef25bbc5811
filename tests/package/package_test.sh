#!/usr/bin/env bash
# Usage: package_test.sh BUILD_DIR [CPACK]
# Packs the configured and built tree BUILD_DIR into the Debian package with
# cpack (what `--target package` runs, without building anything), checks its
# control fields and lintian (no errors), extracts it with dpkg -x into a
# scratch root outside any source tree and runs the installed harness from
# there: `list`, then one relay case against the installed reference manifest,
# whose {bindir} must be the scratch root's usr/bin.
set -euo pipefail

build=$(realpath "$1")
cpack=${2:-cpack}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/tigress-package-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

# gzip rather than the release package's xz: the test only reads the package
# back, and xz would be most of its time.
if ! "$cpack" --config "$build/CPackConfig.cmake" -B "$scratch/out" \
  -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$scratch/cpack.log" 2>&1; then
  cat "$scratch/cpack.log" >&2
  fail "cpack failed"
fi
debs=("$scratch"/out/tigress-harness_*_amd64.deb)
[[ -f ${debs[0]} ]] || fail "cpack wrote no tigress-harness_<version>_amd64.deb: $(ls "$scratch/out")"
deb=${debs[0]}
echo "package_test: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"

depends=$(dpkg-deb -f "$deb" Depends)
echo "package_test: Depends: $depends"
names=$(tr ',|' '\n\n' <<<"$depends" | awk '{print $1}')
for lib in libc6 libssl3 libcurl4 libboost-url1.81.0 libyaml-cpp0.7 libsqlite3-0 libarchive13; do
  grep -qx "$lib" <<<"$names" || fail "Depends lacks $lib"
done
for field in Maintainer Section Description; do
  [[ -n $(dpkg-deb -f "$deb" "$field") ]] || fail "the control file has no $field"
done

if command -v lintian >/dev/null; then
  # Errors fail the test; warnings are printed for the reader.
  lintian --fail-on error --tag-display-limit 0 "$deb" || fail "lintian reports errors"
else
  fail "lintian is not installed (scripts/bootstrap installs it)"
fi

root=$scratch/root
dpkg -x "$deb" "$root"
for f in usr/bin/tigress-harness usr/bin/tigress-relay usr/bin/tigress-device usr/bin/tigress-report \
  usr/share/tigress-harness/vectors/requirements.json \
  usr/share/tigress-harness/implementations/reference.yaml \
  usr/share/tigress-harness/implementations/reference-sct04.yaml \
  usr/share/tigress-harness/docs/harness.md usr/share/doc/tigress-harness/copyright; do
  [[ -e $root/$f ]] || fail "the package has no /$f"
done

# Nothing may point the harness back at the source tree or the build.
cd "$scratch"
unset TIGRESS_SOURCE_DIR TIGRESS_BINDIR
harness=$root/usr/bin/tigress-harness
"$harness" list >list.txt || fail "tigress-harness list exited $?"
grep -q 'relay/create-basic' list.txt || fail "tigress-harness list does not name relay/create-basic"

rc=0
"$harness" run --impl "$root/usr/share/tigress-harness/implementations/reference.yaml" \
  --filter relay/create-basic --report-dir "$scratch/reports" --run-id package -j 1 || rc=$?
[[ $rc -eq 0 ]] || fail "tigress-harness run exited $rc"
[[ -f $scratch/reports/package/junit.xml ]] || fail "the run wrote no junit.xml"
grep -q 'tests="1"' "$scratch/reports/package/junit.xml" || fail "the run did not run exactly one case"
# The rerun command names the scenarios the installed harness used.
grep -rq -- "--scenarios $root/usr/share/tigress-harness/scenarios" "$scratch/reports/package/cases" ||
  fail "the run did not use the installed scenarios"
echo "package_test: list and relay/create-basic ran from $root"
