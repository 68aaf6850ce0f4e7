"""Installing a local model from its part packages: join in order, verify sha256, install once.

The part packages here are tiny but real installed distributions (dist-info + RECORD on sys.path),
so the lookup through importlib.metadata and the joiner run exactly as for the real model.
"""
import dataclasses
import hashlib
from pathlib import Path

import pytest

from qa import models
from qa.models import MODEL_SPECS, ModelCorrupted, ModelNotInstalled, ModelSpec, install_model, installed_model_path

PARTS = [b"GGUF header " * 100, b"second part " * 100, b"last" * 7]


def make_part_packages(site: Path, prefix: str, contents: list[bytes]) -> tuple[str, ...]:
    """Lay out one installed distribution per part, as `pip install` leaves them in site-packages."""
    names = []
    for number, data in enumerate(contents, start=1):
        name = f"{prefix}-part{number}"
        module = name.replace("-", "_")
        part_file = f"{module}/data/part{number:02d}.bin"
        (site / module / "data").mkdir(parents=True)
        (site / part_file).write_bytes(data)
        info = site / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        (info / "RECORD").write_text(f"{module}/__init__.py,,\n{part_file},,\n")
        names.append(name)
    return tuple(names)


@pytest.fixture
def tiny_model(tmp_path, monkeypatch) -> ModelSpec:
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    spec = ModelSpec(
        name="tiny",
        description="a three-part test model",
        part_packages=make_part_packages(site, "tiny-model", PARTS),
        sha256=hashlib.sha256(b"".join(PARTS)).hexdigest(),
        pip_extra="model-tiny",
    )
    monkeypatch.setitem(MODEL_SPECS, spec.name, spec)
    return spec


def part_file(tmp_path: Path, number: int) -> Path:
    return tmp_path / "site-packages" / f"tiny_model_part{number}" / "data" / f"part{number:02d}.bin"


def test_按顺序拼接分片并校验后安装到模型目录(tiny_model, tmp_path):
    model_dir = tmp_path / "models"
    assert installed_model_path("tiny", model_dir) is None

    model_file = install_model("tiny", model_dir)

    assert model_file == model_dir / "tiny.gguf"
    assert model_file.read_bytes() == b"".join(PARTS)
    assert installed_model_path("tiny", model_dir) == model_file
    assert sorted(p.name for p in model_dir.iterdir()) == ["tiny.gguf", "tiny.gguf.installed.json"]


def test_已安装的模型再次安装不重新拼接(tiny_model, tmp_path):
    model_dir = tmp_path / "models"
    model_file = install_model("tiny", model_dir)
    # Were the parts read again, this corruption would fail the checksum.
    part_file(tmp_path, 2).write_bytes(b"changed after install")

    assert install_model("tiny", model_dir) == model_file
    assert model_file.read_bytes() == b"".join(PARTS)


def test_模型文件被改动后视为未安装并重新拼接(tiny_model, tmp_path):
    model_dir = tmp_path / "models"
    model_file = install_model("tiny", model_dir)
    model_file.write_bytes(b"truncated")

    assert installed_model_path("tiny", model_dir) is None
    assert install_model("tiny", model_dir).read_bytes() == b"".join(PARTS)


def test_分片损坏时报错且不留下半个模型(tiny_model, tmp_path):
    part_file(tmp_path, 2).write_bytes(b"second part " * 99 + b"bit rot here")
    model_dir = tmp_path / "models"

    with pytest.raises(ModelCorrupted, match=r"校验失败.*pip install --force-reinstall -e \.\[model-tiny\]"):
        install_model("tiny", model_dir)

    assert list(model_dir.iterdir()) == []
    assert installed_model_path("tiny", model_dir) is None


def test_缺少分片包时提示要安装的extra(tiny_model, tmp_path, monkeypatch):
    missing_last = dataclasses.replace(tiny_model, part_packages=(*tiny_model.part_packages, "tiny-model-part4"))
    monkeypatch.setitem(MODEL_SPECS, "tiny", missing_last)

    with pytest.raises(ModelNotInstalled, match=r"tiny-model-part4.*pip install -e \.\[model-tiny\]"):
        install_model("tiny", tmp_path / "models")


def test_未知模型名给出可选名单(tmp_path):
    with pytest.raises(ValueError, match="qwen2.5-1.5b"):
        install_model("qwen-72b", tmp_path)


def test_两个千问模型的分片包与项目的extra一一对应():
    """The spec table and pyproject.toml's extras must name the same packages, or installs break."""
    import tomllib

    pyproject = tomllib.loads((Path(models.__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    for spec in MODEL_SPECS.values():
        assert list(spec.part_packages) == extras[spec.pip_extra]
