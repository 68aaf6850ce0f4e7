"""The one normalization search compares on: chunks' index text and users' queries pass through the same function.

If the two sides were normalized differently, a passage of the traditional-script document could never match a
question typed in simplified characters, and a full-width "２０２７" could never match "2027".
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_WHITESPACE = re.compile(r"\s+")


@functools.cache
def _traditional_to_simplified() -> opencc.OpenCC:
    # loading the conversion dictionaries is the slow part: one converter per process
    return opencc.OpenCC("t2s")


def to_index_text(text: str) -> str:
    """NFKC (full-width digits, letters and punctuation become ASCII), traditional → simplified, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _traditional_to_simplified().convert(text)
    return _WHITESPACE.sub(" ", text).strip()


def normalize_query(query: str) -> str:
    """`to_index_text` of a user's question, plus the ways people type numbers the documents write in digits."""
    query = "".join(" " if unicodedata.category(char) in ("Cc", "Cf") else char for char in query)
    query = to_index_text(query)
    query = _YEAR.sub(_year_in_digits, query)
    return _AMOUNT.sub(_amount_in_digits, query)


_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "".join(_DIGITS)
_NUMERAL_CHARS = _DIGIT_CHARS + "".join(_UNITS) + "万亿"

# 二〇二七年, 二〇二四: four digit characters read one by one — a year when a zero is in it or 年 follows
_YEAR = re.compile(rf"(?<![{_NUMERAL_CHARS}])[{_DIGIT_CHARS}]{{4}}(?![{_NUMERAL_CHARS}])")
# 三千四百亿元, 一百二十个: amounts the documents write as 3400亿元. Only numbers with 百 or 千 and a digit in
# front are converted, so 十大行动, 三年行动, 千万工程 stay as the documents write them.
_AMOUNT = re.compile(rf"(?<![{_NUMERAL_CHARS}])[{_DIGIT_CHARS}][{_DIGIT_CHARS}十百千]*[百千][{_DIGIT_CHARS}十百千]*"
                     r"(?=万|亿|元|户|家|个|项|名|人|倍|所|座|条|公里|千米|吨|%)")


def _year_in_digits(match: re.Match[str]) -> str:
    digits = match.group()
    followed_by_year = match.string.startswith("年", match.end())
    if not followed_by_year and not any(_DIGITS[char] == 0 for char in digits):
        return digits
    return "".join(str(_DIGITS[char]) for char in digits)


def _amount_in_digits(match: re.Match[str]) -> str:
    value = chinese_number(match.group())
    return match.group() if value is None else str(value)


def chinese_number(numeral: str) -> int | None:
    """一 → 1, 十一 → 11, 二十 → 20, 三千四百 → 3400, 一百零五 → 105; None for anything that is not such a number."""
    if not numeral:
        return None
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for char in numeral:
        if char in _DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row: 一二三 is a list, not a number
            digit = _DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit or digit == 0:
                return None
            if digit is None:
                if total:  # 一百十 is not written
                    return None
                digit = 1  # 十一: the leading 一 is left out
            total += digit * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)
