# Sourced by the scripts: puts the pinned uv in the array UV, installing it with pip if needed.
UV_VERSION=0.13.9
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    UV=(uv)
else
    python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    UV=(python -m uv)
fi
