import pytest

from planwriter.numbering import Numberer, chinese_numeral


@pytest.mark.parametrize("n, text", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                     (21, "二十一"), (99, "九十九"), (100, "一百"), (101, "一百零一"),
                                     (110, "一百一十"), (1001, "一千零一")])
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_chinese_numeral_range():
    with pytest.raises(ValueError):
        chinese_numeral(0)


LEVELS = [1, 2, 3, 4, 4, 3, 2, 3, 1, 2, 2]


def test_four_levels_zh_restart_under_each_parent():
    n = Numberer("zh")
    assert [n.next(lv) for lv in LEVELS] == [
        "一、", "（一）", "1.", "（1）", "（2）", "2.", "（二）", "1.", "二、", "（一）", "（二）"]


def test_four_levels_en_restart_under_each_parent():
    n = Numberer("en")
    assert [n.next(lv) for lv in LEVELS] == [
        "1.", "1.1", "1.1.1", "(a)", "(b)", "1.1.2", "1.2", "1.2.1", "2.", "2.1", "2.2"]


def test_tenth_and_later_headings_zh():
    n = Numberer("zh")
    assert [n.next(1) for _ in range(12)][9:] == ["十、", "十一、", "十二、"]


def test_level_out_of_range():
    with pytest.raises(ValueError):
        Numberer("zh").next(6)
