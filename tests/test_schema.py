"""The JSON Schema of [tool.uvmono] is generated from the settings model, and agrees with it.

Each example table goes to the model (`config.load_root` / `load_member`) and, through the
real check-jsonschema, to the committed schema: both must accept it or both refuse it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.validators import require
from tests.wsutil import REPO, uvmono
from uvmono import config, config_fields, config_schema
from uvmono.errors import UvmonoError

SCHEMA = REPO / "schema" / "tool-uvmono.schema.json"

ROOT_EXAMPLES: list[dict[str, Any]] = [
    {},
    {"generate": ["docker", "bake", "github", "gitlab"]},
    {"generate": ["k8s"]},
    {"generate": "docker"},
    {"genrate": ["docker"]},
    {"global-files": ["pyproject.toml", "tools/**"]},
    {"ignore": ["docs/**"], "affected": "graph", "lockfile": "global"},
    {"affected": "everything"},
    {"lockfile": True},
    {"python": "3.12"},
    {"python": 3.12},
    {"test-command": "pytest -x\npytest --doctest-modules"},
    {"test-command": ["pytest"]},
    {"docker": {}},
    {"docker": []},
    {"docker": {"image": True, "command": ["app", "--serve"], "ports": [80, 8080]}},
    {"docker": {"ports": [0]}},
    {"docker": {"ports": [65536]}},
    {"docker": {"ports": ["80"]}},
    {"docker": {"healthcheck": "curl -f http://localhost/"}},
    {"docker": {"healthcheck": "curl\nrm -rf /"}},
    {"docker": {"system-packages": ["libpq5"], "build-packages": ["gcc"]}},
    {"docker": {"extra-files": ["config/app.toml"]}},
    {"docker": {"base-image": "python:{python}-slim"}},
    {"docker": {"base-image": "python:{python:>99999}"}},
    {"docker": {"image-name": "{name.upper}"}},
    {"docker": {"image-name": "acme-{name}", "registry": "ghcr.io/acme"}},
    {"docker": {"image-name": "{name"}},
    {"docker": {"image-name": "{{literal}}-{name}"}},
    {"docker": {"user-id": 10001, "uv-version": "0.13.9"}},
    {"docker": {"user-id": -1}},
    {"docker": {"user-id": True}},
    {"docker": {"platforms": ["linux/amd64"], "attestations": True}},
    {"docker": {"cache-from": ["type=registry,ref=x/{name}"], "cache-to": ["{name}"]}},
    {"docker": {"cache-to": ["{name!r}"]}},
    {"docker": {"indexes": ["private"], "syntax": "docker/dockerfile:1"}},
    {"docker": {"source-url": "https://example.com/repo"}},
    {"docker": {"unknown": 1}},
    {"ci": {}},
    {"ci": {"max-jobs": 1}},
    {"ci": {"max-jobs": 0}},
    {"ci": {"max-jobs": 1000}},
    {"ci": {"max-jobs": -3}},
    {"ci": {"gitlab-strategy": "mirror", "gitlab-image-builder": "buildah"}},
    {"ci": {"gitlab-strategy": "fire-and-forget"}},
    {"ci": {"runner": "ubuntu-24.04", "default-branch": "trunk"}},
    {"ci": {"default-branch": "main\tx"}},
    {"ci": {"uvmono-source": "group:uvmono", "github-workflow": "x.yml", "gitlab-file": "y.yml"}},
    {"ci": {"docker": {}}},
    {"tasks": {}},
    {"tasks": {"lint": "ruff check .", "build": {"run": "make", "dependent": True}}},
    {"tasks": {"test": {"run": "pytest -x\npytest --doctest-modules"}}},
    {"tasks": {"lint": ""}},
    {"tasks": {"lint": "   "}},
    {"tasks": {"lint": False}},
    {"tasks": {"lint": {"dependent": True}}},
    {"tasks": {"lint": {"run": "ruff", "dependnt": True}}},
    {"tasks": {"lint": {"run": "ruff", "dependent": "yes"}}},
    {"tasks": {"-x": "make"}},
    {"tasks": "ruff check ."},
]

MEMBER_EXAMPLES: list[dict[str, Any]] = [
    {},
    {"ignore": ["*.md"], "test-command": "pytest tests"},
    {"docker": {"image": False}},
    {"docker": {"command": ["python", "-m", "app"], "ports": [443]}},
    {"docker": {"base-image": "python:3.12"}},
    {"generate": ["docker"]},
    {"ignore": "*.md"},
    {"tasks": {"lint": "ruff check src", "typecheck": False, "docs": {"run": "mkdocs build"}}},
    {"tasks": {"lint": True}},
    {"tasks": {"build": {"run": "make", "dependent": True}}},
]


def model_accepts(table: dict[str, Any], *, member: bool = False) -> bool:
    load = config.load_member if member else config.load_root
    try:
        load({"tool": {"uvmono": table}}, Path("pyproject.toml"))
    except UvmonoError:
        return False
    return True


def schema_accepts(
    tmp_path: Path, schema: dict[str, Any], tables: list[dict[str, Any]]
) -> list[bool]:
    """Whether check-jsonschema finds each table valid against `schema`, in one run."""
    tool = require("check-jsonschema")
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(schema))
    instances = []
    for number, table in enumerate(tables):
        instance = tmp_path / f"example-{number}.json"
        instance.write_text(json.dumps(table))
        instances.append(instance)
    proc = subprocess.run(
        [tool, "--output-format", "json", "--schemafile", str(schema_file), *map(str, instances)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(proc.stdout)
    assert not report["parse_errors"], report
    failed = {Path(error["filename"]).name for error in report["errors"]}
    return [instance.name not in failed for instance in instances]


def test_the_committed_schema_is_the_one_the_model_generates() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == config_schema.schema_text()


def test_uvmono_schema_prints_it() -> None:
    proc = uvmono("schema", cwd=REPO)

    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == config_schema.json_schema()


def test_the_schema_accepts_exactly_the_root_tables_the_model_accepts(tmp_path: Path) -> None:
    by_model = [model_accepts(table) for table in ROOT_EXAMPLES]
    by_schema = schema_accepts(tmp_path, json.loads(SCHEMA.read_text()), ROOT_EXAMPLES)

    assert by_schema == by_model
    assert any(by_model) and not all(by_model)


def test_the_member_schema_accepts_exactly_the_member_tables_the_model_accepts(
    tmp_path: Path,
) -> None:
    full = json.loads(SCHEMA.read_text())
    member = {**full["$defs"]["member"], "$schema": full["$schema"]}
    by_model = [model_accepts(table, member=True) for table in MEMBER_EXAMPLES]
    by_schema = schema_accepts(tmp_path, member, MEMBER_EXAMPLES)

    assert by_schema == by_model
    assert any(by_model) and not all(by_model)


@pytest.mark.parametrize("cls", [config.Settings, config.MemberSettings])
def test_every_setting_has_a_schema_with_its_default_and_doc(cls: type) -> None:
    schema = config_schema.json_schema()
    properties = (
        schema["properties"] if cls is config.Settings else schema["$defs"]["member"]["properties"]
    )

    for key, spec in config_fields.keys(cls).items():
        assert properties[key]["description"] == spec.doc
        if spec.default not in (None, {}):
            assert properties[key]["default"] == spec.default
