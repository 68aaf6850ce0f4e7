"""The Gradio window: chat with clickable citations, the documents, lookup, briefings.

Handlers only translate: UI values → engine calls, engine records → HTML (ui/render.py). What an
answer says, whether it is refused and what it cites is decided by the engine, never here.
"""
from __future__ import annotations

import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

import gradio as gr

from corpus.chunk import outline_lines
from qa import prompts
from qa.answer import Engine
from qa.answer_types import Answer
from qa.brief import Briefing, Progress, briefing_markdown, iter_briefing, write_briefing_docx
from qa.inputs import (BadQuestion, search_filter, validate_backend, validate_doc_ids, validate_history,
                       validate_phrase, validate_question)
from qa.llm import LLMUnavailable, preload
from qa.models import ModelNotInstalled
from qa.results import answer_json
from settings import Settings
from ui import render
from ui.uploads import ALLOWED_SUFFIXES, BadUpload, add_uploads, remove_document
from vectorstore.corrections import BadCorrection
from vectorstore.store import StoreUnavailable

TITLE = "政策文件问答"
# One of each kind of question the demo corpus answers (see the dev set): a figure, a list,
# a comparison across places, where a sentence stands, a document in traditional characters.
EXAMPLE_QUESTIONS = [
    "乐山在养老和慈善方面分别打造什么品牌?",
    "乐山培育壮大先进制造业集群实施了哪几项“科技赋能行动”?",
    "乐山和四川省分别为2027年设定了怎样的经济总量目标?",
    "“一次挂号管三天”出自哪份材料的哪一部分?",
    "四川全省经济总量目前已经迈上什么台阶?",
]
LOOKUP_RESULTS = 5
CORRECTION_FIELDS = [("title", "标题"), ("issuer", "发文机关"), ("region", "地区"), ("date", "日期(YYYY-MM-DD)"),
                     ("kind", "类型")]
HISTORY_TURNS = 3  # earlier questions a follow-up is read with
BRIEFING_CANCELLED = "已停止生成简报。"
BRIEFING_STOPPING = "正在停止……"

# Answers are drawn inside the chat's Markdown, where Gradio strips event handlers from the HTML.
# One listener on the document catches clicks on their source links and raises the source panel's
# "select" event with the link's key; installed once, however often the panel re-renders.
OPEN_SOURCE_ON_CLICK = """
window.policyqaOpenSource = trigger;
if (!window.policyqaListening) {
  window.policyqaListening = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    window.policyqaOpenSource("select", {key: link.getAttribute("href").slice("#cite-".length)});
  }, true);
}
"""

CSS = """
.pq-answer { line-height: 1.75; }
.pq-answer .pq-text, .pq-answer .pq-refusal { margin-bottom: 0.4em; }
a.pq-cite { display: inline-block; padding: 0 0.3em; margin: 0 0.1em; border-radius: 4px; font-size: 0.85em;
  line-height: 1.4; background: #e0ebff; color: #1d4ed8 !important; text-decoration: none !important;
  font-weight: 600; cursor: pointer; }
a.pq-cite:hover { background: #1d4ed8; color: #fff !important; }
a.pq-passage-link { color: #1d4ed8 !important; text-decoration: none !important; cursor: pointer; }
a.pq-passage-link:hover { text-decoration: underline !important; }
.pq-refusal { font-weight: 600; color: #9a3412; }
.pq-notice { padding: 0.3em 0.6em; margin-bottom: 0.5em; border-left: 3px solid #f59e0b; background: #fffbeb;
  color: #78350f; }
.pq-flagged { color: #6b7280; margin: 0.2em 0; }
.pq-flagged del { text-decoration-color: #9ca3af; }
.pq-flag-label, .pq-badge { display: inline-block; padding: 0 0.4em; border-radius: 4px; font-size: 0.8em;
  background: #f3f4f6; color: #4b5563; border: 1px solid #d1d5db; }
.pq-badge.pq-exact { background: #dcfce7; color: #166534; border-color: #86efac; }
.pq-sources, .pq-nearest { margin-top: 0.6em; padding-top: 0.4em; border-top: 1px dashed #d1d5db;
  font-size: 0.9em; }
.pq-sources-title { font-weight: 600; color: #374151; margin-bottom: 0.2em; }
.pq-nearest ol { margin: 0.2em 0 0 1.2em; padding: 0; }
.pq-snippet { color: #4b5563; font-size: 0.95em; }
.pq-meta { margin-top: 0.5em; font-size: 0.8em; color: #6b7280; }
.pq-streaming .pq-text { color: #374151; }
.pq-rewrite { margin-top: 0.5em; padding-top: 0.4em; border-top: 1px dashed #d1d5db; }
.pq-rewrite-status { font-size: 0.85em; color: #6b7280; }
.pq-rewrite-text { color: #6b7280; }
.pq-source { line-height: 1.7; }
.pq-source-label { font-size: 0.85em; color: #1d4ed8; font-weight: 600; }
.pq-source-title { font-size: 1.1em; font-weight: 700; margin: 0.1em 0 0.2em; }
.pq-source-meta, .pq-source-section { font-size: 0.9em; color: #4b5563; }
.pq-passage { margin: 0.6em 0; padding: 0.5em 0.8em; border-left: 4px solid #93c5fd; background: #f8fafc;
  white-space: normal; }
.pq-passage mark, .pq-context mark { background: #fde68a; color: inherit; padding: 0 1px; }
.pq-expand summary { cursor: pointer; color: #1d4ed8; }
.pq-expand { max-height: 28em; overflow-y: auto; }
.pq-context { padding: 0.4em 0.6em; margin: 0.4em 0; border-left: 2px solid #e5e7eb; }
.pq-context-cited { border-left-color: #f59e0b; background: #fffbeb; }
.pq-hint { color: #6b7280; padding: 1em 0.5em; }
.pq-lookup { margin-bottom: 1em; }
.pq-lookup-section { margin-left: 0.6em; color: #4b5563; font-size: 0.9em; }
.pq-score { margin-left: 0.6em; color: #6b7280; font-size: 0.85em; }
.pq-outline { white-space: pre-wrap; line-height: 1.7; font-size: 0.95em; }
#briefing .footnotes { font-size: 0.85em; color: #374151; }
#briefing .footnotes-sep { display: none; }
#briefing table { font-size: 0.9em; }
.pq-progress ul { list-style: none; margin: 0.3em 0 0 0.2em; padding: 0; }
.pq-progress-title { font-weight: 600; }
.pq-progress .pq-done { color: #166534; }
.pq-progress .pq-reading { color: #1d4ed8; font-weight: 600; }
.pq-progress .pq-waiting { color: #9ca3af; }
#source-panel { min-height: 20em; }
/* Gradio paints the checked radio white while an event that reads it is running: keep it visible */
#backend input[type=radio]:checked { background-color: var(--color-accent) !important;
  border-color: var(--color-accent) !important; }
"""


@contextmanager
def _store_errors_shown() -> Iterator[None]:
    """A Chroma server that went away is the user's to fix: say so in the window, not as a bare "Error"."""
    try:
        yield
    except StoreUnavailable as error:
        raise gr.Error(f"知识库暂时不可用:{error}") from error


def _wrong_input(error: BadQuestion) -> gr.Error:
    """The caller's mistake, told to the caller: not a traceback in the server's log for each of them."""
    return gr.Error(str(error), print_exception=False)


def build_app(settings: Settings, engine: Engine | None = None) -> gr.Blocks:
    engine = engine or Engine(settings)
    if settings.llm.backend == "local":
        _load_model_in_background(engine)
    kb = engine.kb
    hint = f'<div class="pq-hint">{escape(render.SOURCE_PANEL_HINT)}</div>'

    # -- what the handlers do ---------------------------------------------------------------------

    def respond(question: str, messages: list, turns: list[Answer], doc_ids: list[str], regions: list[str],
                years: list[str], backend: str) -> Iterator[tuple]:
        """Stream one answer into the chat; `turns` keeps each answer so its links can open sources."""
        # the engine's stand-alone rewrite of the last questions, so a follow-up of a follow-up ("那南充呢?" then
        # "成都呢?") still carries the original topic; older turns would only count toward the length limit
        history = [answer.question for answer in turns[-HISTORY_TURNS:]]
        try:
            asked = validate_question(question)
            validate_history(history, asked)
            filters, backend = search_filter(kb, doc_ids, regions, years), validate_backend(backend)
        except BadQuestion as error:
            gr.Warning(str(error))
            yield question, messages, turns  # the typed text stays, so nothing is lost
            return
        messages = [*messages, {"role": "user", "content": render.question_html(asked)},
                    {"role": "assistant", "content": render.streaming_html("正在检索文件…")}]
        yield "", messages, turns
        raw, shown_turn = "", len(turns)
        with _store_errors_shown():
            for event in engine.stream(asked, history, filters, backend):
                if event.answer is None:  # the model writing, under the quoted answer it was given
                    raw += event.delta
                    messages[-1] = {"role": "assistant",
                                    "content": render.provisional_html(turns[shown_turn], shown_turn, raw)}
                else:  # the quoted answer first, then the one that stays replaces it in the same turn
                    turns = [*turns[:shown_turn], event.answer]
                    content = (render.provisional_html(event.answer, shown_turn, "") if event.provisional
                               else render.answer_html(event.answer, shown_turn))
                    messages[-1] = {"role": "assistant", "content": content}
                yield "", messages, turns

    def open_source(turns: list[Answer], event: gr.EventData) -> tuple[str, tuple[int, str] | None]:
        """The passage a link points at, and (turn, chunk id) of what the panel now shows."""
        key = str(getattr(event, "key", ""))
        turn = render.turn_of(key)
        if turn is None or turn >= len(turns):
            return hint, None
        shown = source_view(turns[turn], turn, key)
        if shown is None:
            return hint, None
        source, html = shown
        return html, (turn, source.chunk.chunk_id)

    def reopen_source(turns: list[Answer], shown: tuple[int, str] | None) -> tuple:
        """After an answer is streamed: a passage opened from its quotes is shown again as the answer that stayed
        cites it. The model's answer numbers its sources afresh (the quotes' [2] may be its [1]) and may leave a
        passage out: then the panel goes back to the hint rather than show a marker the answer no longer has."""
        if shown is None or shown[0] != len(turns) - 1:
            return gr.update(), shown
        turn, chunk_id = shown
        key = render.passage_link(turns[turn], turn, chunk_id)
        if key is None:
            return hint, None
        return source_view(turns[turn], turn, key)[1], shown

    def source_view(answer: Answer, turn: int, key: str) -> tuple | None:
        """The source a link of this answer points at, and the panel's HTML for it with its section around it."""
        source = render.answer_sources(answer, turn).get(key)
        if source is None:
            return None
        context = render.section_context(source.chunk, kb.chunks(source.chunk.doc_id))
        return source, render.source_html(source, context)

    def ask(question: str, backend: str = "", doc_ids: list[str] | None = None, regions: list[str] | None = None,
            years: list[int] | None = None, history: list[str] | None = None) -> dict:
        """One answer as JSON (the `policyqa ask --json` form), for programs talking to the app.

        Whatever JSON a program sends is checked here (types, limits, ids and places the knowledge base holds
        now), so a wrong call gets a message saying what is wrong, not Gradio's bare "upstream app raised"."""
        try:
            asked = validate_question(question)
            turns, filters = validate_history(history, asked), search_filter(kb, doc_ids, regions, years)
            with _store_errors_shown():
                answer = engine.ask(asked, turns, filters, validate_backend(backend))
        except BadQuestion as error:
            raise _wrong_input(error) from error
        return answer_json(answer)

    def choices() -> tuple[list[tuple[str, str]], list[str], list[str]]:
        """Documents, places and years to choose from: filled when the window is built (an API call needs no
        page load first) and after every change; a value typed or sent otherwise is checked by the handler."""
        documents = kb.documents()
        return ([(meta.title, meta.doc_id) for meta, _ in documents],
                sorted({meta.region for meta, _ in documents if meta.region}),
                sorted({str(meta.year) for meta, _ in documents if meta.year}, reverse=True))

    def kb_views() -> tuple:
        documents = kb.documents()
        doc_choices, regions, years = choices()
        chunk_total = sum(count for _, count in documents)
        return (
            f"## {TITLE}\n知识库:{len(documents)} 份文件,共 {chunk_total} 段",
            gr.update(choices=doc_choices), gr.update(choices=regions), gr.update(choices=years),
            render.document_rows(documents, kb.instructions()), gr.update(choices=doc_choices, value=None),
            gr.update(choices=regions), gr.update(choices=doc_choices),
        )

    def show_outline(doc_id: str | None) -> str:
        if not doc_id:
            return '<div class="pq-hint">选择一份文件查看它的标题层级。</div>'
        try:
            validate_doc_ids(kb, doc_id)
        except BadQuestion as error:
            raise _wrong_input(error) from error
        lines = "\n".join(outline_lines(kb.chunks(doc_id)))
        return f'<div class="pq-outline">{escape(lines) or "(这份文件没有识别出标题)"}</div>'

    def show_metadata(doc_id: str | None) -> list[str]:
        meta = next((meta for meta, _ in kb.documents() if meta.doc_id == doc_id), None)
        return [getattr(meta, name) if meta else "" for name, _ in CORRECTION_FIELDS]

    def correct_document(doc_id: str | None, *values: str) -> tuple:
        if not doc_id:
            return ("请先在上方选择要更正的文件。", *kb_views())
        try:
            meta = kb.correct(doc_id, dict(zip((name for name, _ in CORRECTION_FIELDS), values)))
        except (BadCorrection, KeyError) as error:
            return (render.user_text(f"未保存:{error}"), *kb_views())
        return (render.user_text(f"已更正《{meta.title}》的元数据,并按新的元数据重新索引;重新入库或重建索引后仍然有效。"),
                *kb_views())

    def add_documents(files: list[str] | None, replace: bool = False, progress=gr.Progress(track_tqdm=True)) -> tuple:
        if not files:
            return ("请先选择要上传的文件。", *kb_views())
        progress(0, desc="正在读取和索引…")
        outcome = add_uploads(kb, [(Path(file), Path(file).name) for file in files], settings.uploads_dir,
                              replace=bool(replace))
        titles = {meta.doc_id: meta.title for meta, _ in kb.documents()}
        return ("\n".join(f"- {render.user_text(line)}" for line in outcome.messages(titles)), *kb_views())

    def delete_document(doc_id: str | None) -> tuple:
        if not doc_id:
            return ("请先在上方选择要删除的文件。", *kb_views())
        try:
            validate_doc_ids(kb, doc_id)
            message = remove_document(kb, doc_id, settings.uploads_dir)
        except (BadQuestion, BadUpload) as error:
            message = str(error)
        return (render.user_text(message), *kb_views())

    def reindex(progress=gr.Progress(track_tqdm=True)) -> tuple:
        progress(0, desc="正在重建索引…")
        return (render.user_text(kb.rebuild().summary()), *kb_views())

    def find_source(phrase: str) -> str:
        try:
            return render.lookup_html(phrase, engine.lookup(validate_phrase(phrase), k=LOOKUP_RESULTS))
        except ValueError as error:  # BadQuestion, or nothing but punctuation: say what to paste
            return f'<div class="pq-notice">{escape(str(error))}</div>'

    stops: dict[str, threading.Event] = {}  # session → how to stop the briefing it is building

    def briefing(topic: str, regions: list[str], doc_ids: list[str], backend: str,
                 request: gr.Request) -> Iterator[tuple]:
        """Show which document is being read, then the briefing. 停止 (stop_briefing) asks the build to stop;
        it ends after the step under way and says so. The build is stopped, not cancelled: a cancelled
        generator is never resumed, and a model writing its points would run on to its token limit."""
        started, stop = time.perf_counter(), threading.Event()
        stops[request.session_hash] = stop
        result = None
        try:
            for step in iter_briefing(engine, topic, regions or (), doc_ids or (), validate_backend(backend), stop):
                if isinstance(step, Briefing):
                    result = step
                elif not stop.is_set():
                    seconds = time.perf_counter() - started
                    yield render.briefing_progress_html(step.titles, step.done, step.written, seconds), None
        except BadQuestion as error:
            raise _wrong_input(error) from error
        finally:
            if stops.get(request.session_hash) is stop:
                del stops[request.session_hash]
        if result is None:
            yield f'<div class="pq-notice" id="briefing-cancelled">{BRIEFING_CANCELLED}</div>', None
        else:
            yield _briefing_files(result)

    def stop_briefing(request: gr.Request) -> str:
        if stop := stops.get(request.session_hash):
            stop.set()
            return f'<div class="pq-notice">{BRIEFING_STOPPING}</div>'
        return gr.update()

    def _briefing_files(result: Briefing) -> tuple[str, list[str]]:
        markdown = briefing_markdown(result)
        # the system temp folder: Gradio only hands out files from there or the working directory;
        # one folder per briefing, so two people on the same topic never overwrite each other
        folder = Path(tempfile.mkdtemp(prefix="policyqa-briefing-"))
        name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", result.topic)[:40] or "briefing"
        markdown_path = folder / f"简报_{name}.md"
        markdown_path.write_text(markdown, encoding="utf-8")
        docx_path = write_briefing_docx(result, folder / f"简报_{name}.docx")
        return render.briefing_html(markdown), [str(docx_path), str(markdown_path)]

    # -- the window -------------------------------------------------------------------------------

    doc_choices, region_choices, year_choices = choices()
    backend_choices = [
        (f"本地模型({settings.llm.local_model})", "local"),
        (f"在线模型({settings.llm.openai_model})", "openai"),
        ("原文摘录(不用大模型)", "extractive"),
    ]
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        with gr.Row(equal_height=True):
            kb_summary = gr.Markdown(f"## {TITLE}", scale=3)
            backend = gr.Radio(backend_choices, value=settings.llm.backend, label="回答方式(当前使用)", scale=2,
                               elem_id="backend")
            # the briefing's API takes the backend as text: a Radio would refuse an unknown one in Gradio's own
            # words, with a traceback in the log, before the handler could say which are known
            backend_name = gr.Textbox(settings.llm.backend, visible=False)

        with gr.Tab("问答", id="chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    with gr.Accordion("筛选范围(不选 = 全部文件)", open=False):
                        with gr.Row():
                            doc_filter = gr.Dropdown(doc_choices, value=[], label="文件", multiselect=True, scale=2,
                                                     elem_id="doc-filter", allow_custom_value=True)
                            region_filter = gr.Dropdown(region_choices, value=[], label="城市 / 省", multiselect=True,
                                                        elem_id="region-filter", allow_custom_value=True)
                            year_filter = gr.Dropdown(year_choices, value=[], label="年份", multiselect=True,
                                                      elem_id="year-filter", allow_custom_value=True)
                    chatbot = gr.Chatbot(
                        label="对话", elem_id="chat", height=560, buttons=["copy"], feedback_options=None,
                        examples=[{"text": question} for question in EXAMPLE_QUESTIONS],
                        placeholder="用中文提问,回答只依据知识库中的文件;文件中没有的内容会直接说明。",
                    )
                    with gr.Row():
                        question_box = gr.Textbox(
                            show_label=False, placeholder="输入问题,如:南充培育壮大的新兴产业有哪些?",
                            submit_btn="提问", scale=5, elem_id="question",
                        )
                        new_chat = gr.Button("新对话", scale=1, min_width=90)
                with gr.Column(scale=2, min_width=320):
                    source_panel = gr.HTML(hint, label="出处", elem_id="source-panel", js_on_load=OPEN_SOURCE_ON_CLICK,
                                           container=True, padding=True)
            turns = gr.State([])
            panel_shows = gr.State(None)  # (turn, chunk id) of the passage in the source panel

        with gr.Tab("文件管理", id="documents"):
            documents_table = gr.Dataframe(headers=render.DOCUMENT_COLUMNS, interactive=False, wrap=True,
                                           label="知识库中的文件", elem_id="documents-table",
                                           column_widths=["30%", "11%", "8%", "9%", "8%", "13%", "7%", "14%"])
            documents_status = gr.Markdown(elem_id="documents-status", min_height=48, container=True, padding=True)
            with gr.Row():
                with gr.Column():
                    # the documents known now are choices from the start (an API call comes without a page load)
                    doc_choice = gr.Dropdown(doc_choices, value=None, label="选择文件(查看标题层级 / 删除 / 更正)",
                                             elem_id="doc-choice", allow_custom_value=True)
                    outline_view = gr.HTML(show_outline(None), elem_id="outline", max_height=420)
                    # what was read from the text can be wrong: a person's correction is kept over re-indexing
                    with gr.Accordion("更正元数据(标题、发文机关、地区、日期、类型)", open=False, elem_id="correction"):
                        correction_boxes = [gr.Textbox(label=label, elem_id=f"correct-{name}", max_lines=1)
                                            for name, label in CORRECTION_FIELDS]
                        correct_button = gr.Button("保存更正")
                    with gr.Row():
                        delete_button = gr.Button("删除所选文件", variant="stop")
                        reindex_button = gr.Button("重建索引")
                with gr.Column():
                    # no file_types: Gradio would refuse other files with an English message; the
                    # check in ui.uploads says in Chinese which types are taken
                    upload = gr.File(label=f"上传文件({'、'.join(ALLOWED_SUFFIXES)})", file_count="multiple",
                                     type="filepath", elem_id="upload")
                    replace_box = gr.Checkbox(False, label="替换同名文件(不勾选时,与已上传文件同名的新文件另存为新文件)",
                                              elem_id="replace-upload")
                    upload_button = gr.Button("加入知识库", variant="primary")

        with gr.Tab("出处查询", id="lookup"):
            phrase_box = gr.Textbox(label="粘贴一句或一段原文(简体、繁体均可)", lines=3, elem_id="phrase")
            lookup_button = gr.Button("查找出处", variant="primary")
            lookup_view = gr.HTML(elem_id="lookup-results")

        with gr.Tab("政策简报", id="briefing"):
            with gr.Row():
                topic_box = gr.Textbox(label="主题", placeholder="如:科技创新、人才引进、民营经济", scale=2)
                brief_regions = gr.Dropdown(region_choices, value=[], label="城市 / 省(可选)", multiselect=True,
                                            allow_custom_value=True)
                brief_docs = gr.Dropdown(doc_choices, value=[], label="文件(可选)", multiselect=True, scale=2,
                                         allow_custom_value=True)
            with gr.Row():
                brief_button = gr.Button("生成简报", variant="primary", scale=4)
                brief_cancel = gr.Button("停止", variant="stop", scale=1, elem_id="briefing-cancel")
            brief_files = gr.File(label="下载(Word / Markdown)", file_count="multiple", interactive=False,
                                  elem_id="briefing-files")
            brief_view = gr.Markdown(elem_id="briefing")

        # -- wiring ----------------------------------------------------------------------------

        views = [kb_summary, doc_filter, region_filter, year_filter, documents_table, doc_choice,
                 brief_regions, brief_docs]
        demo.load(kb_views, None, views, api_visibility="private")

        chat_inputs = [question_box, chatbot, turns, doc_filter, region_filter, year_filter, backend]
        chat_outputs = [question_box, chatbot, turns]
        panel = [source_panel, panel_shows]
        question_box.submit(respond, chat_inputs, chat_outputs, api_visibility="private").then(
            reopen_source, [turns, panel_shows], panel, api_visibility="private")
        chatbot.example_select(_example_text, None, question_box, api_visibility="private").then(
            respond, chat_inputs, chat_outputs, api_visibility="private").then(
            reopen_source, [turns, panel_shows], panel, api_visibility="private")
        source_panel.select(open_source, [turns], panel, api_visibility="private")
        new_chat.click(lambda: ("", [], [], hint, None), None, [question_box, chatbot, turns, *panel],
                       api_visibility="private")
        chatbot.clear(lambda: ([], hint, None), None, [turns, *panel], api_visibility="private")
        gr.api(ask, api_name="ask")

        doc_choice.change(show_outline, doc_choice, outline_view, api_name="outline")
        doc_choice.change(show_metadata, doc_choice, correction_boxes, api_name="metadata")
        correct_button.click(correct_document, [doc_choice, *correction_boxes], [documents_status, *views],
                             api_name="correct", show_progress_on=documents_status)
        # progress shows on the status line only, so the table stays readable while indexing runs
        upload_button.click(add_documents, [upload, replace_box], [documents_status, *views], api_name="upload",
                            show_progress_on=documents_status).then(
            lambda: None, None, upload, api_visibility="private")
        delete_button.click(delete_document, doc_choice, [documents_status, *views], api_name="delete",
                            show_progress_on=documents_status)
        reindex_button.click(reindex, None, [documents_status, *views], api_name="reindex",
                             show_progress_on=documents_status)

        phrase_box.submit(find_source, phrase_box, lookup_view, api_visibility="private")
        lookup_button.click(find_source, phrase_box, lookup_view, api_name="lookup")

        backend.change(lambda name: name, backend, backend_name, api_visibility="private")
        brief_button.click(briefing, [topic_box, brief_regions, brief_docs, backend_name], [brief_view, brief_files],
                           api_name="briefing", show_progress="minimal")
        brief_cancel.click(stop_briefing, None, brief_view, api_visibility="private", queue=False)
    return demo


def _load_model_in_background(engine: Engine) -> None:
    """Load the local model while the window opens, and process the system prompt so its KV cache is ready;
    a question asked meanwhile waits for this load instead of starting another."""

    def load() -> None:
        try:
            preload(engine.llm(), prompts.system_messages())
        except (LLMUnavailable, ModelNotInstalled):
            pass  # the first question meets the same error and shows it with its answer

    threading.Thread(target=load, name="local-llm-load", daemon=True).start()


def _example_text(event: gr.SelectData) -> str:
    return event.value["text"]


def launch(demo: gr.Blocks, settings: Settings, block: bool = True):
    """Serve on settings.serve.host:port, behind a login when a username and password are set."""
    serve_settings = settings.serve
    password = serve_settings.password.get_secret_value()
    auth = (serve_settings.username, password) if serve_settings.username and password else None
    demo.queue(default_concurrency_limit=serve_settings.concurrency)
    return demo.launch(
        server_name=serve_settings.host, server_port=serve_settings.port, auth=auth, share=False,
        prevent_thread_lock=not block, css=CSS, footer_links=["api"], quiet=not block,
    )


def serve(settings: Settings) -> None:
    launch(build_app(settings), settings)
