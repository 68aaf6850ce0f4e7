"""用真实的大模型端到端回答:本地 GGUF(0.5B)与 OpenAI 兼容服务(127.0.0.1 上真实的 llama.cpp 服务)。"""
from __future__ import annotations

import shutil

import pytest

from corpus.sentences import sentence_spans
from qa.answer import Engine
from qa.citations import fold
from qa.llm import start_llama_server
from qa.prompts import evidence_from_citations, evidence_messages
from qa.models import install_model
from settings import load_settings

QUESTION = "乐山每万人口高价值发明专利拥有量目标是多少?"
LOCAL = {"local_model": "qwen2.5-0.5b", "timeout_s": 600, "max_tokens": 120}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("models")
    install_model("qwen2.5-0.5b", directory)
    return directory


def engine_for(demo_index_dir, tmp_path, model_dir, llm: dict) -> Engine:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_index_dir, data_dir)
    (data_dir / "models").symlink_to(model_dir, target_is_directory=True)
    return Engine(load_settings(data_dir=data_dir, llm=llm))


def assert_grounded(answer, backend_prefix: str) -> None:
    assert answer.backend.startswith(backend_prefix), answer.notice
    assert not answer.refused
    assert "1.54" in answer.text
    assert answer.citations and all("1.54" in fold(c.quote) for c in answer.citations if "1.54" in c.quote)
    assert answer.latency_ms["first_token"] <= answer.latency_ms["total"]


def test_先给出核对过的原文摘录_再流出模型据此写的回答并替换它(demo_index_dir, tmp_path, model_dir):
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {"backend": "local", **LOCAL})
    events = list(engine.stream(QUESTION))

    quoted = events[0]
    assert quoted.provisional and quoted.answer.backend == "extractive", "摘录应先于模型的任何输出"
    assert_grounded_quote(quoted.answer)
    deltas = [event.delta for event in events[1:-1]]
    assert len(deltas) > 3 and all(deltas), "模型的回答应在摘录之后逐步流出"
    final = events[-1].answer
    assert not events[-1].provisional
    assert_grounded(final, "local:")
    assert final.latency_ms["quoted"] < final.latency_ms["first_token"]


def test_模型只拿到摘录里核对过的句子_带地方和章节编号(demo_index_dir, tmp_path, model_dir):
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {"backend": "extractive"})
    quoted = engine.ask(QUESTION)
    given = evidence_from_citations(quoted.citations, {hit.chunk.chunk_id: hit.chunk for hit in quoted.retrieved})

    user_message = evidence_messages(QUESTION, given)[-1]["content"]

    assert [item.quotes for item in given] == [tuple(c.quote for c in quoted.citations if c.marker == n)
                                               for n in sorted({c.marker for c in quoted.citations})]
    assert user_message.startswith("<资料>\n[1] 乐山市") and user_message.endswith(f"问题:{QUESTION}")
    for item in given:
        assert item.chunk.section_path[-1][:30] in user_message
        assert all(quote in user_message for quote in item.quotes)
        for start, end in sentence_spans(item.chunk.text):  # 只给摘出的句子,不给整段
            sentence = item.chunk.text[start:end].strip()
            assert any(sentence in quote for quote in item.quotes) or sentence not in user_message
    assert user_message.count("《中共乐山市委关于深入推进创新驱动引领乐山高质量发展的决定》") == 1, "同一文件只写一次标题"


def test_模型的回答没通过核对_保留原文摘录并说明_不重新摘录(demo_index_dir, tmp_path, model_dir):
    """只许写两个词元的模型写不出能核对的句子:最终显示的就是先前给出的那份摘录。"""
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {"backend": "local", **LOCAL, "max_tokens": 2})
    events = list(engine.stream(QUESTION))

    quoted, final = events[0].answer, events[-1].answer
    assert events[0].provisional and not events[-1].provisional
    assert final.backend == "extractive" and "未能通过引用核对" in final.notice
    assert (final.text, final.citations) == (quoted.text, quoted.citations)
    assert_grounded_quote(final)


def assert_grounded_quote(answer) -> None:
    assert not answer.refused and "1.54" in answer.text
    assert any("1.54" in c.quote for c in answer.citations)


def test_OpenAI兼容服务回答并通过引用核对(demo_index_dir, tmp_path, model_dir):
    server = start_llama_server(model_dir / "qwen2.5-0.5b.gguf", api_key="sk-local-test")
    engine = engine_for(demo_index_dir, tmp_path, model_dir, {
        "backend": "openai", "openai_base_url": f"{server.listening_address}/v1", "openai_model": "qwen",
        "openai_api_key": "sk-local-test", "timeout_s": 600, "max_tokens": 120})
    assert_grounded(engine.ask(QUESTION), "openai:")


def test_两份文件数字不一致_摘录留下时说明只出现一次(demo_index_dir, tmp_path, model_dir):
    """先给出的摘录和最后留下的摘录是同一份回答:“两份文件表述不一致”只写一次。"""
    from qa.disagreement import NOTE

    engine = engine_for(demo_index_dir, tmp_path, model_dir, {"backend": "local", **LOCAL, "max_tokens": 2})
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "乐山经济形势分析.txt").write_text(
        "乐山市经济形势分析报告\n一、发展目标\n到2027年,全市经济总量目标为3600亿元,工业增加值年均增长8%。\n",
        encoding="utf-8")
    engine.kb.ingest(folder, progress=False)
    final = engine.ask("乐山2027年经济总量目标是多少?")
    assert final.backend == "extractive" and "未能通过引用核对" in final.notice
    assert final.text.count(NOTE) == 1, final.text
    assert len({citation.marker for citation in final.citations}) == len(final.citations)


# -- what stays of a model's answer (the model's text given as written, checked against the evidence it was given) --


def written(engine: Engine, question: str, raw: str):
    """The quoted answer, the question's verdicts, and `raw` checked as the model's answer from that evidence."""
    from qa import answerability
    from qa.citations import check_answer

    quoted = engine.ask(question)
    given = evidence_from_citations(quoted.citations, {hit.chunk.chunk_id: hit.chunk for hit in quoted.retrieved})
    parsed = engine.parse(question)
    verdicts = answerability.judge(parsed, quoted.retrieved, engine.similarity)
    return quoted, parsed, verdicts, check_answer(raw, [item.chunk for item in given])


def test_模型回答里有一句没通过核对_其余仍答出所问的数就保留其余(demo_engine):
    from qa.answer import answers

    quoted, parsed, verdicts, checked = written(demo_engine, QUESTION, "全市每万人口高价值发明专利拥有量达到1.54件以上[2]。"
                                           "乐山还将设立100亿元知识产权基金[1]。")
    assert checked.flagged == ["乐山还将设立100亿元知识产权基金。"]
    assert answers(parsed, verdicts, checked, quoted)


def test_没通过核对的正是所问的数_剩下的不算回答(demo_engine):
    from qa.answer import answers

    quoted, parsed, verdicts, checked = written(demo_engine, QUESTION, "乐山大幅提高每万人口高价值发明专利拥有量等创新指标权重[1]。"
                                           "全市每万人口高价值发明专利拥有量达到2.5件以上[2]。")
    assert len(checked.flagged) == 1 and "2.5" in checked.flagged[0]
    assert checked.supported and not answers(parsed, verdicts, checked, quoted)


def test_模型漏掉摘录里的数字_原文另有补上那句_编号接着模型的(demo_engine):
    from qa.answer import with_what_it_left_out

    quoted, _, _, checked = written(demo_engine, QUESTION, "乐山大幅提高每万人口高价值发明专利拥有量等创新指标权重[1]。")
    completed = with_what_it_left_out(checked, quoted)
    said, added = completed.text.split("\n原文另有:\n")
    assert said == checked.text and "1.54件" in added and added.endswith("[2]")
    assert [c.marker for c in completed.citations] == [1, 2] and "1.54件" in completed.citations[1].quote

    _, _, _, complete = written(demo_engine, QUESTION, "全市每万人口高价值发明专利拥有量达到1.54件以上[2]。")
    assert with_what_it_left_out(complete, quoted).text == complete.text, "模型说了的不再补"


def test_问题里的词都在所引文件的标题里_回答说的是这份文件本身():
    """“本条例自…起施行”答“甲市公共数据条例何时起施行”:条例的名字在标题里,不必在回答里;问到的别的内容仍须在回答里。"""
    from qa.answer import addresses
    from qa.question import parse

    when = parse("甲市公共数据条例何时起施行?", {}, {})
    assert addresses(when, "本条例自2025年1月1日起施行。", ["甲市公共数据条例"])
    assert not addresses(when, "本条例自2025年1月1日起施行。", ["乙市养老服务条例"]), "别的文件的标题不算"
    venue = parse("甲市公共数据条例对数据交易场所怎么规定?", {}, {})
    assert not addresses(venue, "本条例自2025年1月1日起施行。", ["甲市公共数据条例"])
    assert addresses(venue, "数据交易场所应当建立安全管理制度。", ["甲市公共数据条例"])


def test_模型漏掉问题问到的词_原文另有补上摘录里含这个词的句子(demo_engine):
    """问“企业”研发投入,模型只说了后补助政策、没说企业:摘录里说到企业的句子接在后面;说到了就不补。"""
    from qa.answer import with_what_it_left_out

    question = "乐山怎样支持企业研发投入?"
    asked = demo_engine.parse(question).subject
    quoted, _, _, checked = written(demo_engine, question, "乐山制定出台鼓励加大研发投入的后补助政策[1]。")
    assert checked.citations and "企业" not in checked.text
    said, added = with_what_it_left_out(checked, quoted, asked).text.split("\n原文另有:\n")
    assert said == checked.text and "企业研发费用税前列支扣除" in added

    _, _, _, complete = written(demo_engine, question, "乐山落实企业研发费用税前列支扣除政策[1]。")
    assert with_what_it_left_out(complete, quoted, asked).text == complete.text, "问到的词模型都说了就不补"


def test_模型只说了所问的时限_连同给它的同一条里的条件读_仍算回答了所问():
    """编造的条文:问题的词都在条件那句里,模型只答了时限那句。它引的这一条里给过它的条件句说的正是所问;
    引的是另一条、条件句不在其中时,仍不算回答。"""
    from corpus.model import Chunk, DocumentMeta
    from corpus.normalize import to_index_text
    from qa.answer import answers
    from qa.answer_types import Answer
    from qa.citations import check_answer, cite
    from qa.question import parse

    meta = DocumentMeta(doc_id="made-up", title="青州市个体工商户发展促进条例", region="青州市")

    def article(number: str, text: str) -> Chunk:
        return Chunk(doc_id="made-up", section_path=(number,), text=text, index_text=to_index_text(text),
                     start=0, end=len(text), ordinal=0, meta=meta)

    rename = article("第二十条", "第二十条 个体工商户转型升级为企业的，可以申请保留原字号和原有的荣誉称号。"
                                 "登记机关应当自收到申请之日起十五日内办结。")
    other = article("第九条", "第九条 登记机关应当自收到申请之日起十五日内办结。")
    question = parse("青州个体工商户转型升级为企业想保留原字号,要等几天?", {})
    quoted = Answer(question.normalized, "", False,
                    citations=[cite(1, rename, start, end, None) for start, end in sentence_spans(rename.text)])

    checked = check_answer("登记机关应当自收到申请之日起十五日内办结[1]。", [rename])
    assert checked.citations and "字号" not in "".join(c.quote for c in checked.citations)
    assert answers(question, [], checked, quoted)

    elsewhere = check_answer("登记机关应当自收到申请之日起十五日内办结[1]。", [other])
    assert elsewhere.citations and not answers(question, [], elsewhere, quoted)
