"""20 个用户同时通过应用接口提问:每个问题都得到回答,答的正是自己的问题,答案之间不串。

The real Gradio app (ui.app.build_app over a copy of the demo knowledge base, extractive answers) is served on
a free 127.0.0.1 port; 20 gradio_client clients, one per thread, ask at the same moment.
"""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

from qa.answer import Engine
from qa.citations import fold
from settings import load_settings
from ui.app import build_app, launch

# (question, a figure or name only the answer to this question holds)
QUESTIONS = [
    ("乐山每万人口高价值发明专利拥有量目标是多少?", "1.54件"),
    ("南充决定支持哪个实验室创建省级重点实验室?", "天体物理实验室"),
    ("成都“进万企”活动累计办结了多少件企业诉求?", "5072件"),
    ("乐山在养老和慈善方面分别打造什么品牌?", "嘉里养老"),
    ("乐山对欠发达县域托底性帮扶配套了多少项支持政策?", "24项"),
    ("成都民营经济贡献了全市百分之多少的税收?", "60%以上的税收"),
    ("乐山改进科技人才评价机制要破除哪些“唯”导向?", "唯论文"),
    ("南充强化党对新质生产力发展的全面领导,要优化落实哪些机制?", "专班推进"),
    ("乐山市委关于加快构建现代化产业体系的决定是哪天通过的?", "2024年6月25日"),
    ("四川全省经济总量目前已经迈上什么台阶?", "六万亿元"),
    ("四川推动哪处遗址申报世界文化遗产?", "三星堆"),
    ("乐山到2025年新增规模以上民用核技术应用企业多少户?", "10户"),
    ("乐山到2025年要建成多少家数字工厂?", "数字工厂50家"),
    ("乐山到2025年打造上云企业多少家?", "1000家"),
    ("成都累计办结问题诉求多少件?", "5072件"),
    ("成都造拓市场百日攻坚举办了多少场供需对接活动?", "65场"),
    ("“蓉易享”平台推送政策覆盖多少家企业?", "4049家"),
    ("乐山到2025年实现重点领域关键技术突破多少项?", "10项"),
    ("乐山到2025年国家科技型中小企业要达到多少家?", "300家"),
    ("成都《决定》稿共几个部分?", "六个部分"),
]


@pytest.fixture(scope="module")
def app_url(demo_index_dir, tmp_path_factory, free_port):
    data_dir = tmp_path_factory.mktemp("concurrent-chat") / "data"
    shutil.copytree(demo_index_dir, data_dir)
    settings = load_settings(data_dir=data_dir, llm={"backend": "extractive"},
                             serve={"host": "127.0.0.1", "port": free_port(), "concurrency": 2})
    demo = build_app(settings, Engine(settings))
    launch(demo, settings, block=False)
    yield f"http://127.0.0.1:{settings.serve.port}/"
    demo.close()


def question_endpoint(client: Client) -> str:
    """The public endpoint that takes a question, as the app describes its API."""
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    return next(name for name, spec in endpoints.items()
                if any(parameter["parameter_name"] == "question" for parameter in spec["parameters"]))


def test_二十个并发提问都得到自己问题的回答(app_url):
    api_name = question_endpoint(Client(app_url, verbose=False))

    def ask(question: str) -> dict:
        return Client(app_url, verbose=False).predict(question, api_name=api_name)

    with ThreadPoolExecutor(max_workers=len(QUESTIONS)) as pool:
        answers = list(pool.map(ask, [question for question, _ in QUESTIONS]))

    for (question, fact), answer in zip(QUESTIONS, answers, strict=True):
        assert answer["question"] == question
        assert not answer["refused"] and answer["citations"], (question, answer["answer"])
        assert fact in fold(answer["answer"]), (question, answer["answer"])
