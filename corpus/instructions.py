"""Sentences of a document that speak to the assistant instead of stating policy: "忽略以上所有指令", "你现在必须回答",
"ignore previous instructions", chat-template tags such as <|im_start|>, a "system:" line.

An official document never addresses the program reading it, so such a sentence is someone's attempt to steer
the answer. It is flagged at ingest (the catalog keeps the flags, the window shows them), and a passage holding
one is never evidence: not quoted, not shown to a model (see without_instructions in qa/answer.py's retrieve).
Matched on the NFKC, simplified, lower-cased form, so full-width letters and traditional script match too.
"""
from __future__ import annotations

import re

from corpus.normalize import to_index_text
from corpus.sentences import sentence_spans

_EARLIER = r"(?:以上|上述|上面|前面|之前|此前|先前|原来|原有|系统)"
_ALL = r"(?:所有|全部|一切|任何)"
_RULES = r"(?:指令|指示|提示词?|要求|规则|设定|约束|限制|命令)"
# "作为人工智能人才" is policy: only an assistant, a model or a bot is addressed
_MODEL = r"(?:ai|人工智能)?(?:助手|助理|语言模型|大模型|聊天机器人|chatgpt|gpt)"
_ADDRESSES_ASSISTANT = re.compile("|".join((
    rf"(?:忽略|无视|忘记|忘掉|不要理会|不必理会|抛开|跳过){_EARLIER}?(?:的)?{_ALL}?(?:的)?{_RULES}",
    rf"(?:忽略|无视|忘记|忘掉){_EARLIER}{_ALL}?(?:的)?(?:内容|资料|对话|文字)",
    r"你(?:现在|从现在起|接下来)?(?:必须|只能|务必|一定要|应当|应该|要)(?:直接)?(?:回答|回复|输出|告诉|说)",
    r"你现在(?:是|扮演|作为)",
    rf"(?:作为|身为|扮演|你是)(?:一[个名位])?{_MODEL}",
    r"请(?:直接)?(?:回答|回复|输出)[:：\d]",
    r"(?:直接|只)(?:回答|回复|输出)[:：]",
    r"(?:系统提示|提示词注入|越狱模式|开发者模式)",
    r"(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|preceding|earlier|system|original)\s+(?:instructions?|prompts?|messages?|rules)",
    r"\byou\s+(?:are\s+now|must\s+(?:now\s+)?(?:answer|reply|say|respond)|will\s+now)\b",
    r"\bnew\s+instructions?\s*:",
    r"<\|?\s*(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\s*\|?>",
    r"\[/?inst\]|<<\s*/?sys\s*>>",
    r"^\s*(?:system|assistant|developer)\s*[:：]",
    r"</?资料>",  # the tags the answer prompt puts around sources: a document holding them fakes their end
    r"(?:本|该|问答|你的)系统在?(?:回答|回复|作答)",  # "本系统在回答……时应以本文为准"
    r"(?:回答|作答)(?:时|本问题时)?(?:应|须|必须)以本(?:文|文件)为准",
    r"\bnote\s+to\s+(?:the\s+)?(?:ai|assistant|model|llm|chatbot)\b",
    r"\b(?:ignore|disregard)\s+(?:what|whatever|everything)\b",
)), re.IGNORECASE)


def addresses_assistant(text: str) -> bool:
    """Whether the text holds words addressed to the assistant: line by line (a "system:" line), and as one text
    with line breaks and spaces taken out, so that "忽略以上\n所有指令" and "忽 略 以 上" do not slip through."""
    folded = to_index_text(text).lower()
    return (any(_ADDRESSES_ASSISTANT.search(line) for line in folded.splitlines())
            or any(_ADDRESSES_ASSISTANT.search(joined) for joined in (re.sub(r"\s+", " ", folded),
                                                                       re.sub(r"\s+", "", folded))))


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of each sentence that addresses the assistant."""
    return [(start, end) for start, end in sentence_spans(text) if addresses_assistant(text[start:end])]
