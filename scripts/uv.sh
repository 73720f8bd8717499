# shellcheck shell=bash disable=SC2034  # sourced; the scripts that source it use UV
# Sourced by the scripts: puts the pinned uv in the array UV. An installed uv of that version is
# used as it is. Otherwise pip fetches uv's wheel (it holds a static binary) into
# .uvmono-bootstrap/ in this checkout: nothing goes into the system or the user's Python, so it
# works with PEP 668 in force and without python3-venv (uv makes its venvs without ensurepip).
UV_VERSION=0.13.9
if command -v uv >/dev/null 2>&1 &&
    [ "$(uv --version 2>/dev/null | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    UV=(uv)
else
    _uv_home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.uvmono-bootstrap"
    _uv_dir="$_uv_home/uv-$UV_VERSION"
    if [ ! -x "$_uv_dir/bin/uv" ]; then
        _python=$(command -v python3 || command -v python || true)
        if [ -z "$_python" ] || ! "$_python" -m pip --version >/dev/null 2>&1; then
            echo "scripts/uv.sh: needs uv $UV_VERSION on PATH, or python3 with pip to fetch it" \
                "(Debian/Ubuntu: apt-get install python3-pip; or see https://docs.astral.sh/uv/)" >&2
            return 1
        fi
        echo "scripts/uv.sh: fetching uv $UV_VERSION into $_uv_dir" >&2
        mkdir -p "$_uv_home"
        _uv_tmp=$(mktemp -d "$_uv_dir.XXXXXX")
        # --target keeps it out of site-packages (and PEP 668 does not apply to it); the PIP_*
        # settings turn off `user = true` and `require-virtualenv`, which would refuse, and the
        # warning for root.
        if ! PIP_USER=0 PIP_REQUIRE_VIRTUALENV=0 PIP_ROOT_USER_ACTION=ignore \
            "$_python" -m pip install --quiet --disable-pip-version-check --no-cache-dir \
            --no-compile --no-deps --only-binary=:all: --target "$_uv_tmp" "uv==$UV_VERSION"; then
            rm -rf "$_uv_tmp"
            echo "scripts/uv.sh: pip could not fetch uv $UV_VERSION (see above)" >&2
            return 1
        fi
        [ -x "$_uv_dir/bin/uv" ] || mv "$_uv_tmp" "$_uv_dir"  # else a concurrent run won
        rm -rf "$_uv_tmp"
    fi
    UV=("$_uv_dir/bin/uv")
fi
