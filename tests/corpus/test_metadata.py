"""文件元数据：人工清单，或从正文推出（只写正文里有的）。"""
from __future__ import annotations

import pytest

from corpus.manifest import derive_meta, doc_id_for, load_manifest
from corpus.pipeline import prepare_document


def test_清单按文件名给出元数据(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[[document]]\ndoc_id = "leshan-2024-industry"\nfile = "leshan.txt"\ntitle = "乐山的决定"\n'
                        'region = "乐山市"\ndate = "2024-06-25"\n', encoding="utf-8")
    meta = load_manifest(manifest)["leshan.txt"]
    assert (meta.doc_id, meta.title, meta.region, meta.date, meta.issuer, meta.file_name) == (
        "leshan-2024-industry", "乐山的决定", "乐山市", "2024-06-25", "", "leshan.txt")


@pytest.mark.parametrize(
    ("entries", "complaint"),
    [
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\n', "缺少字段"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\nauthor = "某人"\n', "未知字段"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\ndate = "2024年6月25日"\n', "日期"),
        ('[[document]]\ndoc_id = "a"\nfile = "a.txt"\ntitle = "甲"\n[[document]]\ndoc_id = "a"\nfile = "b.txt"\ntitle = "乙"\n',
         "重复"),
        ('[[document]\n', "TOML"),
    ],
)
def test_清单有误时指明哪一条(tmp_path, entries, complaint):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(entries, encoding="utf-8")
    with pytest.raises(ValueError, match=complaint):
        load_manifest(manifest)


def test_从正文推出元数据():
    text = ("中共乐山市委\n关于以发展新质生产力为重要着力点\n加快构建现代化产业体系的决定\n"
            "(2024年6月25日中国共产党乐山市第八届委员会第九次全体会议通过)\n"
            "高质量发展是全面建设社会主义现代化国家的首要任务。成都、南充也在推进。\n一、把握阶段性目标\n……")
    meta = derive_meta("乐山 决定(2024).txt", text)
    assert meta.title == "中共乐山市委关于以发展新质生产力为重要着力点加快构建现代化产业体系的决定"
    assert (meta.issuer, meta.region, meta.date) == ("中共乐山市委", "乐山市", "2024-06-25")
    assert (meta.doc_id, meta.file_name, meta.source) == ("乐山-决定-2024", "乐山 决定(2024).txt", "")


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        pytest.param("中共四川省委關於以發展新質生產力為重要著力點扎實推進高質量發展的決定", "中共四川省委", id="繁体的关于"),
        pytest.param("成都市人民政府辦公廳關於印發促進民營經濟發展若干措施的通知", "成都市人民政府办公厅", id="繁体的办公厅"),
        pytest.param("南充市人民政府办公室关于加快培育新质生产力的实施意见", "南充市人民政府办公室", id="简体"),
    ],
)
def test_发文机关从标题开头推出_繁体标题也认_以简体记(title, issuer):
    meta = derive_meta("upload.txt", f"{title}\n一、总体要求\n坚持创新引领。")
    assert (meta.title, meta.issuer) == (title, issuer)


def test_没有标题行时用文件名_地区取正文中最常见的地名_繁体也认():
    text = "一、把堅持高質量發展作為新時代的硬道理\n四川是我國發展的戰略腹地,平安四川、美麗四川建設扎實推進,成都極核支撐。"
    meta = derive_meta("sichuan.txt", text)
    assert (meta.title, meta.region, meta.date, meta.issuer) == ("sichuan", "四川省", "", "")


def test_文件编号稳定可读():
    assert doc_id_for("Leshan_2024 Industry.TXT") == doc_id_for("Leshan_2024 Industry.TXT") == "leshan-2024-industry"
    assert doc_id_for("（南充）新质生产力.docx") == "南充-新质生产力"
    assert doc_id_for("___.txt").startswith("doc-")


def test_不在清单中的文件用推出的元数据_同版其他文章的日期不算(tmp_path):
    decision = "中共乐山市委关于深入推进创新驱动的决定\n" + "".join(f"{number}. 第{number}项任务落实到位。\n" for number in range(1, 30))
    other = "余伟:在京不忘家\n■记者 唐诗敏\n2021年7月12日\n"
    path = tmp_path / "newspaper-page.txt"
    path.write_text(decision + other, encoding="utf-8")
    meta = prepare_document(path).meta
    assert (meta.doc_id, meta.title, meta.region, meta.date) == (
        "newspaper-page", "中共乐山市委关于深入推进创新驱动的决定", "乐山市", "")
