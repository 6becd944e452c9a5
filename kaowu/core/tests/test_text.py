"""The name rule and the free-text rule (kaowu.core.text) on their own; tests/security/test_text_rules.py
drives them through the real pages."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from kaowu.core.text import (
    Form,
    FreeTextField,
    PersonNameField,
    clean_free_text,
    clean_strings,
    validate_person_name,
)


@pytest.mark.parametrize(("typed", "stored"), [
    ("张三", "张三"),
    ("𠀀明", "𠀀明"),                                   # extension B (plane 2)
    ("王\U00031350", "王\U00031350"),                   # extension H: unassigned in Python 3.11's Unicode 14
    ("欧阳娜娜", "欧阳娜娜"),
    ("阿卜杜热合曼·买买提", "阿卜杜热合曼·买买提"),
    ("阿卜杜热合曼・买买提", "阿卜杜热合曼·买买提"),    # katakana middle dot → U+00B7
    ("阿卜杜热合曼•买买提", "阿卜杜热合曼·买买提"),     # bullet (iOS keyboard) → U+00B7
    ("阿卜杜热合曼‧买买提", "阿卜杜热合曼·买买提"),     # hyphenation point (Big5) → U+00B7
    ("Mary Jane Smith", "Mary Jane Smith"),
    ("  Mary   Jane\u3000Smith ", "Mary Jane Smith"),  # runs of (full-width) spaces are one
    ("Ｍａｒｙ", "Mary"),                               # full-width Latin letters
    ("Zoe\u0308", "Zo\u00eb"),                          # decomposed → NFC
    ("Jean-Pierre O\u2019Brien", "Jean-Pierre O'Brien"),
    ("\uf9dc", "\u9686"),                               # a compatibility ideograph → its unified form (NFC)
    ("〇文", "〇文"),
])
def test_real_names_are_accepted_and_normalised(typed, stored):
    assert validate_person_name(typed) == stored


@pytest.mark.parametrize(("typed", "code", "words"), [
    ("张\u202e三", "invisible_character", "改变文字方向的字符（U+202E）"),
    ("张\u2066三", "invisible_character", "改变文字方向的字符（U+2066）"),
    ("张\u200b三", "invisible_character", "零宽或格式字符（U+200B）"),
    ("\ufeff张三", "invisible_character", "零宽或格式字符（U+FEFF）"),
    ("张\u00ad三", "invisible_character", "零宽或格式字符（U+00AD）"),
    ("张\x00三", "invisible_character", "控制字符（U+0000）"),
    ("张\x07三", "invisible_character", "控制字符（U+0007）"),
    ("张\x85三", "invisible_character", "控制字符（U+0085）"),
    ("张\n三", "invisible_character", "控制字符（U+000A）"),
    ("<script>", "markup", "< > &"),
    ("张&三", "markup", "< > &"),
    ('张"三', "markup", "< > &"),
    ("张三1", "digits", "数字"),
    ("张三１", "digits", "数字"),
    ("张三②", "digits", "数字"),
    ("张.三", "character", "“.”"),
    ("张三😀", "character", "只能由汉字、字母、间隔号“·”和空格组成"),
    ("\ue000三", "character", "只能由汉字"),                 # private use: not a name character
    ("张 三", "space", "间隔号“·”分隔"),
    ("·张三", "separator", "只能用在姓名中间"),
    ("张··三", "separator", "只能用在姓名中间"),
    ("张-三", "separator", "只能用在姓名中间"),
    ("Zoe\u0301\u0301\u0301x\u034f", "character", "只能由汉字"),
    ("   ", "required", "请输入姓名"),
])
def test_names_with_anything_else_are_refused_with_a_message_naming_the_problem(typed, code, words):
    with pytest.raises(ValidationError) as caught:
        validate_person_name(typed)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


def test_free_text_is_nfc_and_stripped_and_keeps_markup():
    assert clean_free_text("  Cafe\u0301 <b>&amp; \"x\"  ") == 'Café <b>&amp; "x"'


def test_free_text_refuses_controls_bidi_and_format_characters():
    for bad in ("a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\u202eb", "a\u2067b", "a\u200bb", "a\u200db",
                "a\ufeffb", "a\tb", "a\ufffeb"):
        with pytest.raises(ValidationError) as caught:
            clean_free_text(bad, multiline=True)
        assert caught.value.code == "invisible_character", repr(bad)
        assert "U+" in caught.value.messages[0]


def test_newlines_only_in_multi_line_text_and_stored_as_lf():
    assert clean_free_text("第一行\r\n第二行\r第三行\u2028第四行", multiline=True) == "第一行\n第二行\n第三行\n第四行"
    for text in ("第一行\n第二行", "第一行\r第二行", "第一行\u2028第二行"):
        with pytest.raises(ValidationError) as caught:
            clean_free_text(text)
        assert caught.value.code == "newline" and "只能填写一行" in caught.value.messages[0]


def test_a_label_says_where_the_problem_is():
    with pytest.raises(ValidationError) as caught:
        clean_free_text("a\x07", label="个人简历第2条")
    assert caught.value.messages[0].startswith("个人简历第2条：含有不可见的控制字符（U+0007）")


def test_every_string_of_nested_data_is_checked_and_normalised():
    assert clean_strings({"a": ["Cafe\u0301", 1, None, {"b": "x\ny"}]}) == {"a": ["Café", 1, None, {"b": "x\ny"}]}
    with pytest.raises(ValidationError):
        clean_strings({"a": [{"b": "x\u202ey"}]})
    with pytest.raises(ValidationError):
        clean_strings({"x\u200b": "y"})


class _Sample(Form):
    name = PersonNameField()
    line = forms.CharField(max_length=10)
    note = forms.CharField(widget=forms.Textarea, required=False)
    explicit = FreeTextField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, strip=False, required=False)
    count = forms.IntegerField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)


def test_a_project_form_puts_the_rule_on_every_text_field_it_has():
    form = _Sample({"name": "Zoe\u0308", "line": "Cafe\u0301", "note": "a\r\nb", "explicit": "x",
                    "password": " p\x07ss ", "count": "3", "added_later": "ok"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Zoë" and form.cleaned_data["line"] == "Café"
    assert form.cleaned_data["note"] == "a\nb"
    assert form.cleaned_data["password"] == " p\x07ss "  # passwords are hashed, never shown: left alone

    form = _Sample({"name": "张三", "line": "a\u202eb", "note": "a\x00b", "explicit": "x\ny",
                    "added_later": "z\u200bz"})
    assert not form.is_valid()
    assert set(form.errors) == {"line", "note", "explicit", "added_later"}
    assert "改变文字方向" in form.errors["line"][0] and "只能填写一行" in form.errors["explicit"][0]


def test_length_limits_count_the_normalised_text():
    form = _Sample({"name": "张三", "line": "e\u0301" * 10})  # 20 code points typed, 10 stored
    assert form.is_valid(), form.errors
    assert form.cleaned_data["line"] == "é" * 10
