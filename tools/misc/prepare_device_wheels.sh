#!/usr/bin/env bash
# Download, here (where PyPI is reachable), what a GPU machine without a
# package registry needs to install mmfvis: the wheels for CPython 3.12 on
# manylinux x86-64 of the packages its image lacks, and mmcv's source
# distribution, whose CUDA ops tools/analysis/gpu_checks.sh compiles there.
#
#   tools/misc/prepare_device_wheels.sh [DIR]    (default: device_wheels)
#   tools/misc/prepare_device_wheels.sh --list   (what is fetched, what not)
#
# DIR must be ignored by git (device_wheels/ is) and carried to the device
# machine; it must stay well under the 64 MiB that travels. Each package is
# fetched alone (--no-deps), so torch, numpy and opencv, which the machine
# has, are not pulled in. The versions are those of tools/misc/install_env.sh
# (mmengine, mmcv) and of the environment the tests run in.
# PYTHON (default python3) runs pip.
set -euo pipefail

# mmengine, mmdet, mmcv (source), kornia, pycocotools and their needs that
# the device image does not hold (docs/benchmarks/gpu_checks.md):
# addict, yapf (platformdirs), termcolor for mmengine; shapely and
# terminaltables for mmdet; setuptools < 81, whose pkg_resources mmcv's
# build and mmengine import.
WHEELS=(
    mmengine==0.10.7
    mmdet==3.3.0
    kornia==0.9.0
    kornia_rs==0.2.0
    pycocotools==2.0.11
    addict==2.4.0
    yapf==0.43.0
    platformdirs==4.14.9
    termcolor==3.3.0
    terminaltables==3.1.10
    shapely==2.2.0
    setuptools==80.10.2
)
SOURCES=(mmcv==2.1.0)
# What these need that the device image holds already (the 'Python packages
# already there' of its description, 2026-11-17): not fetched.
ON_DEVICE=(torch numpy opencv-python-headless matplotlib pyyaml rich scipy
    six tqdm packaging pillow)

if [ "${1:-}" = --list ]; then
    printf 'wheel %s\n' "${WHEELS[@]}"
    printf 'sdist %s\n' "${SOURCES[@]}"
    printf 'on-device %s\n' "${ON_DEVICE[@]}"
    exit 0
fi

# DIR from where the script is called; the default in the repository's root
case ${1:-} in
'') DIR=device_wheels ;;
/*) DIR=$1 ;;
*) DIR=$PWD/$1 ;;
esac
PYTHON=${PYTHON:-python3}
cd "$(dirname "$0")/../.."
# only a folder of the repository travels, and an ignored one only when
# carried (not ignored, it would travel twice)
if ! git check-ignore -q "$DIR/probe.whl" 2>/dev/null; then
    echo "$DIR: not a folder of this repository that git ignores (such" \
        "as device_wheels), which the device machine can be given" >&2
    exit 2
fi
mkdir -p "$DIR"

# pip matches manylinux tags exactly: name every one a wheel may carry
PLATFORMS=()
for tag in manylinux_2_{17,24,27,28,31,34}_x86_64 manylinux2014_x86_64 \
    manylinux1_x86_64; do
    PLATFORMS+=(--platform "$tag")
done
for spec in "${WHEELS[@]}"; do
    "$PYTHON" -m pip download -q --no-deps --only-binary=:all: \
        --python-version 3.12 --implementation cp "${PLATFORMS[@]}" \
        -d "$DIR" "$spec"
done
# an sdist's metadata is read by running its setup.py: mmcv's imports torch,
# so it runs in this environment rather than an isolated one without torch
for spec in "${SOURCES[@]}"; do
    "$PYTHON" -m pip download -q --no-deps --no-binary=:all: \
        --no-build-isolation -d "$DIR" "$spec"
done

ls -l "$DIR"
echo "total: $(du -sh "$DIR" | cut -f1) in $(find "$DIR" -type f | wc -l)" \
    "files ($DIR)"
