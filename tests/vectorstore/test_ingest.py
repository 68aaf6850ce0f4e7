"""增量入库:未变的跳过,改过的替换,删掉的移除;读不了的文件报告原因,已有内容不丢。"""
from __future__ import annotations

import pytest

from settings import EmbedderSettings, load_settings
from vectorstore.knowledge_base import KnowledgeBase
from vectorstore.store import EmbedderMismatch, VectorIndex

TECH, TOURISM, BUSINESS = "甲市科技创新意见", "乙县文旅发展方案", "丙区营商环境措施"


@pytest.fixture
def kb(tmp_path, use_embedder):
    knowledge_base = KnowledgeBase(load_settings(data_dir=tmp_path / "data"), embedder=use_embedder)
    yield knowledge_base
    knowledge_base.close()


def assert_consistent(kb: KnowledgeBase) -> set[str]:
    """Catalog, vector index and keyword index hold the same chunks; returns their ids."""
    contents = kb.index_contents()
    assert contents["catalog"] == contents["vectors"] == contents["keyword"]
    return contents["catalog"]


def test_首次入库_全部新增(kb, small_corpus):
    report = kb.ingest(small_corpus, progress=False)
    assert sorted(report.added) == sorted([TECH, TOURISM, BUSINESS])
    assert not (report.updated or report.unchanged or report.removed or report.failed)
    assert report.chunks_indexed == report.chunks_total == len(kb.chunks()) > 3
    assert report.seconds > 0
    assert "新增 3 篇" in report.summary()
    assert len(assert_consistent(kb)) == report.chunks_total


def test_小文件凑满一批才写入_三个文件共用一次向量写入(tmp_path, use_embedder, small_corpus, monkeypatch):
    writes = []
    original_add = VectorIndex.add
    monkeypatch.setattr(VectorIndex, "add", lambda index, chunks: writes.append(len(chunks)) or original_add(index, chunks))
    kb = KnowledgeBase(load_settings(data_dir=tmp_path / "data", embedder={"batch_size": 1000}), embedder=use_embedder)
    report = kb.ingest(small_corpus, progress=False)
    assert len(report.added) == 3 and writes == [report.chunks_total]
    assert len(assert_consistent(kb)) == report.chunks_total
    kb.close()


def test_再次入库_未变的跳过(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    before = assert_consistent(kb)
    report = kb.ingest(small_corpus, progress=False)
    assert sorted(report.unchanged) == sorted([TECH, TOURISM, BUSINESS])
    assert report.chunks_indexed == 0
    assert assert_consistent(kb) == before


def test_改过的文件被替换_旧段落不再出现(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    old_tourism = {chunk.chunk_id for chunk in kb.chunks(TOURISM)}
    path = small_corpus / f"{TOURISM}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2000万人次", "3000万人次"), encoding="utf-8")

    report = kb.ingest(small_corpus, progress=False)

    assert report.updated == [TOURISM] and sorted(report.unchanged) == sorted([TECH, BUSINESS])
    new_tourism = {chunk.chunk_id for chunk in kb.chunks(TOURISM)}
    assert new_tourism != old_tourism and not (old_tourism - new_tourism) & assert_consistent(kb)
    top = kb.search("乙县接待游客目标", k=1)[0]
    assert "3000万人次" in top.chunk.text


def test_从文件夹删掉的文件被移除(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    (small_corpus / f"{BUSINESS}.txt").unlink()
    report = kb.ingest(small_corpus, progress=False)
    assert report.removed == [BUSINESS]
    assert BUSINESS not in {meta.doc_id for meta, _ in kb.documents()}
    assert not any(chunk_id.startswith(BUSINESS) for chunk_id in assert_consistent(kb))
    assert all(hit.chunk.doc_id != BUSINESS for hit in kb.search("中小企业发展基金", k=5))


def test_空文件夹入库时说明没有可读取的文件(kb, tmp_path):
    folder = tmp_path / "政策.txt"  # 名字像文件的文件夹
    folder.mkdir()
    (folder / ".隐藏").write_text("不读", encoding="utf-8")
    report = kb.ingest(folder, progress=False)
    assert report.empty_folders == [folder]
    assert f"文件夹 {folder} 中没有可读取的文件" in report.summary()


def test_单独入库的文件不因另一文件夹的入库而被删除(kb, small_corpus, tmp_path):
    other = tmp_path / "uploads"
    other.mkdir()
    (small_corpus / f"{BUSINESS}.txt").rename(other / f"{BUSINESS}.txt")
    assert kb.ingest([other / f"{BUSINESS}.txt"], progress=False).added == [BUSINESS]
    report = kb.ingest(small_corpus, progress=False)
    assert sorted(report.added) == sorted([TECH, TOURISM]) and report.removed == []
    assert len(kb.documents()) == 3


def test_读不了的文件报告原因_其余照常_已入库的版本保留(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    (small_corpus / "扫描件.xyz").write_bytes(b"\x00\x01")
    (small_corpus / f"{BUSINESS}.txt").write_text("   \n", encoding="utf-8")  # emptied by mistake
    before = {chunk.chunk_id for chunk in kb.chunks(BUSINESS)}

    report = kb.ingest(small_corpus, progress=False)

    failed = {failure.path.name: failure.reason for failure in report.failed}
    assert set(failed) == {"扫描件.xyz", f"{BUSINESS}.txt"} and all(failed.values())
    assert report.removed == []  # a file that is there but unreadable is not a deleted file
    assert {chunk.chunk_id for chunk in kb.chunks(BUSINESS)} == before
    assert_consistent(kb)


def test_删除文件(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    kb.delete_document(TECH)
    assert TECH not in {meta.doc_id for meta, _ in kb.documents()}
    assert not any(chunk_id.startswith(TECH) for chunk_id in assert_consistent(kb))
    with pytest.raises(KeyError):
        kb.delete_document(TECH)


def test_切分结果改变的文件重新入库_切分不变的跳过(tmp_path, use_embedder, small_corpus):
    long_section = "".join(f"第{n}项措施是建设第{n}个产业园区,带动就业{n}千人。" for n in range(1, 30))
    (small_corpus / "long.txt").write_text(f"一、重点任务\n{long_section}\n", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data")
    KnowledgeBase(settings, embedder=use_embedder).ingest(small_corpus, progress=False)
    finer = KnowledgeBase(settings.model_copy(update={"retrieval": settings.retrieval.model_copy(
        update={"max_chunk_chars": 120})}), embedder=use_embedder)
    report = finer.ingest(small_corpus, progress=False)
    assert report.updated == ["long"]  # only its cut changed; the short documents are cut alike and skipped
    assert len(report.unchanged) == 3
    assert all(len(chunk.text) <= 120 for chunk in finer.chunks("long"))
    assert_consistent(finer)


def test_重建索引后内容不变(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    before = assert_consistent(kb)
    report = kb.rebuild(progress=False)
    assert sorted(report.updated) == sorted([TECH, TOURISM, BUSINESS])
    assert assert_consistent(kb) == before
    assert "甲江实验室" in kb.search("哪个实验室创建省级重点实验室", k=1)[0].chunk.text


def test_源文件不在了也能重建_用保存的分块(kb, small_corpus):
    kb.ingest(small_corpus, progress=False)
    before = assert_consistent(kb)
    (small_corpus / f"{TECH}.txt").unlink()
    kb.rebuild(progress=False)
    assert assert_consistent(kb) == before


def test_换了嵌入模型_清单照常_检索报错_重建后恢复(tmp_path, use_embedder, minilm_embedder, small_corpus):
    settings = load_settings(data_dir=tmp_path / "data")
    KnowledgeBase(settings, embedder=use_embedder).ingest(small_corpus, progress=False)
    minilm_settings = settings.model_copy(update={"embedder": EmbedderSettings(
        kind="sentence-transformers", model_path="unused: the embedder is passed in")})
    switched = KnowledgeBase(minilm_settings, embedder=minilm_embedder)

    assert len(switched.documents()) == 3
    with pytest.raises(EmbedderMismatch, match="re-ingest with --rebuild"):
        switched.search("旅游总收入")

    switched.rebuild(progress=False)
    assert switched.search("旅游总收入", k=1)[0].chunk.doc_id == TOURISM
    assert_consistent(switched)
