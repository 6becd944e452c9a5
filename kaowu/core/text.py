"""The rules for text people type: a person's 姓名, and free text that staff or candidates will read.

* `validate_person_name(value)` — a real person's 姓名: CJK ideographs (the basic block, extensions
  A–I including the rare characters of the supplementary planes, the compatibility ideographs),
  Latin letters with diacritics, the 间隔号 “·” and single inner spaces (hyphen and apostrophe
  between Latin letters). Normalised to NFC; look-alikes of the 间隔号 that phones and IMEs type
  (・ ･ • ‧ ∙ ⋅ ⸱) become U+00B7; full-width Latin letters become ASCII; runs of spaces become one.
  Refused with a message naming the problem: control, format and bidirectional characters,
  markup characters (< > & "), digits, anything else.
* `clean_free_text(value, multiline=...)` — reasons, addresses, notes, comments: NFC, stripped;
  control, format and bidirectional characters refused (markup is allowed: it is escaped where it is
  shown); newlines only where the field is multi-line (stored as "\\n").
* `clean_strings(data)` — the free-text rule on every string inside JSON-like data (the workflow
  engine's application data).

It is structural for forms: every form of the project derives from `Form` / `ModelForm` below (the
workflow registry refuses a type whose form does not, and `tests/security/test_text_rules.py` fails
on any form class of the project that does not). Their `full_clean` puts the free-text rule on every
text field that carries no rule of its own (password inputs excepted), including fields a subclass
adds in `__init__` and the fields a ModelForm generates; `PersonNameField` carries the name rule.
Services that take text from somewhere other than a form call the functions themselves.
"""

import functools
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# --- characters -----------------------------------------------------------------------------------

BIDI_CONTROLS = frozenset(chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
MARKUP = frozenset('<>&"')

# CJK ideographs by range, not by unicodedata: Python 3.11 knows Unicode 14, in which extension H
# (Unicode 15) and I (15.1) are still unassigned.
CJK_RANGES = (
    (0x3007, 0x3007),  # 〇
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs (NFC maps most to their unified form)
    (0x20000, 0x2A6DF),  # extension B
    (0x2A700, 0x2B73F),  # extension C
    (0x2B740, 0x2B81F),  # extension D
    (0x2B820, 0x2CEAF),  # extension E
    (0x2CEB0, 0x2EBEF),  # extension F
    (0x2EBF0, 0x2EE5F),  # extension I
    (0x2F800, 0x2FA1F),  # compatibility ideographs supplement
    (0x30000, 0x3134F),  # extension G
    (0x31350, 0x323AF),  # extension H
)
MIDDLE_DOT = "\u00b7"
# What people type for the 间隔号: katakana middle dot (Japanese IMEs, some fonts), its half-width
# form, the bullet (iOS Chinese keyboard), the hyphenation point (Big5), bullet and dot operators,
# the word-separator middle dot. The Greek ano teleia is U+00B7 after NFC already.
NAME_TRANSLATION = {
    **{ord(c): MIDDLE_DOT for c in "\u30fb\uff65\u2022\u2027\u2219\u22c5\u2e31"},
    **{c: c - 0xFEE0 for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))},  # full-width Latin letters
    ord("\u2019"): "'", ord("\u02bc"): "'", ord("\u2010"): "-", ord("\u2011"): "-",
}
NAME_SEPARATORS = frozenset((MIDDLE_DOT, " ", "-", "'"))
LATIN_ONLY_SEPARATORS = frozenset((" ", "-", "'"))  # only between Latin letters; CJK parts use “·”


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _invisible(ch: str) -> str | None:
    """'bidi', 'format' or 'control' for a character nobody should store, else None."""
    if ch in BIDI_CONTROLS:
        return "bidi"
    category = unicodedata.category(ch)
    if category == "Cf":
        return "format"
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return "control"
    point = ord(ch)
    if 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE:  # noncharacters
        return "control"
    return None


def is_cjk(ch: str) -> bool:
    point = ord(ch)
    return any(low <= point <= high for low, high in CJK_RANGES)


def _is_latin_letter(ch: str) -> bool:
    return unicodedata.category(ch) in ("Lu", "Ll", "Lt") and unicodedata.name(ch, "").startswith("LATIN ")


def _is_diacritic(ch: str) -> bool:
    return 0x0300 <= ord(ch) <= 0x036F and ch != "\u034f"  # not the (invisible) combining grapheme joiner


# --- free text --------------------------------------------------------------------------------------

def _free_text_message(kind: str, ch: str) -> str:
    if kind == "newline":
        return gettext("此处只能填写一行文字，请不要换行")
    if kind == "bidi":
        return gettext("含有改变文字方向的字符（%(code)s），请清空后重新输入") % {"code": _code(ch)}
    if kind == "format":
        return gettext("含有不可见的零宽或格式字符（%(code)s），可能是复制时带入的，请清空后重新输入") % {"code": _code(ch)}
    return gettext("含有不可见的控制字符（%(code)s），可能是复制时带入的，请清空后重新输入") % {"code": _code(ch)}


def clean_free_text(value, *, multiline: bool = False, strip: bool = True, label: str = "") -> str:
    """Free text as it will be stored: NFC, stripped, line breaks as "\\n" (multi-line only).
    Raises ValidationError (code "invisible_character" or "newline") for control, format and
    bidirectional characters, and for a line break in single-line text. `label` prefixes the message
    where it is not shown next to its field (“个人简历第2条：…”)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    if strip:
        text = text.strip()
    if multiline:
        text = LINE_BREAKS.sub("\n", text)
    for ch in text:
        if ch == "\n" and multiline:
            continue
        kind = "newline" if ch in "\n\r\u2028\u2029" else _invisible(ch)
        if kind is not None:
            message = _free_text_message(kind, ch)
            if label:
                message = gettext("%(label)s：%(problem)s") % {"label": label, "problem": message}
            raise ValidationError(message, code="newline" if kind == "newline" else "invisible_character")
    return text


def clean_strings(data, *, multiline: bool = True):
    """The free-text rule on every string (keys too) of JSON-like data; returns the cleaned copy."""
    if isinstance(data, str):
        return clean_free_text(data, multiline=multiline, strip=False)
    if isinstance(data, dict):
        return {clean_strings(k, multiline=False): clean_strings(v, multiline=multiline) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [clean_strings(v, multiline=multiline) for v in data]
    return data


# --- 姓名 -------------------------------------------------------------------------------------------

def validate_person_name(value, *, max_length: int | None = None) -> str:
    """A person's 姓名 as it will be stored (see the module's docstring), or ValidationError with a
    message that says what to fix."""
    name = unicodedata.normalize("NFC", str(value or "")).translate(NAME_TRANSLATION)
    # Any space (full-width, no-break …) is a space; runs of spaces are one.
    name = re.sub(r"[^\S\r\n\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+", " ", name).strip()
    if not name:
        raise ValidationError(gettext("请输入姓名"), code="required")
    for ch in name:
        kind = _invisible(ch)
        if kind == "bidi":
            raise ValidationError(gettext("姓名中含有改变文字方向的字符（%(code)s），请清空后重新输入")
                                  % {"code": _code(ch)}, code="invisible_character")
        if kind == "format":
            raise ValidationError(gettext("姓名中含有不可见的零宽或格式字符（%(code)s），请清空后重新输入")
                                  % {"code": _code(ch)}, code="invisible_character")
        if kind == "control" or ch in "\t\n\r":
            raise ValidationError(gettext("姓名中含有不可见的控制字符（%(code)s），请清空后重新输入")
                                  % {"code": _code(ch)}, code="invisible_character")
    if any(ch in MARKUP for ch in name):
        raise ValidationError(gettext("姓名中不能有 < > & \" 等符号"), code="markup")
    if any(unicodedata.category(ch).startswith("N") and not is_cjk(ch) for ch in name):  # 〇 is a name character
        raise ValidationError(gettext("姓名中不能有数字"), code="digits")
    previous = ""
    for ch in name:
        if is_cjk(ch) or _is_latin_letter(ch) or ch in NAME_SEPARATORS:
            pass
        elif _is_diacritic(ch) and (_is_latin_letter(previous) or _is_diacritic(previous)):
            pass
        else:
            raise ValidationError(gettext("姓名中不能有“%(char)s”。姓名只能由汉字、字母、间隔号“·”和空格组成")
                                  % {"char": ch}, code="character")
        previous = ch
    _check_separators(name)
    if max_length is not None and len(name) > max_length:
        raise ValidationError(gettext("姓名不能超过%(max)s个字") % {"max": max_length}, code="length")
    return name


def _check_separators(name: str) -> None:
    misplaced = ValidationError(gettext("间隔号“·”、空格和连字符只能用在姓名中间，且不能连用"), code="separator")
    if name[0] in NAME_SEPARATORS or name[-1] in NAME_SEPARATORS:
        raise misplaced
    for index, ch in enumerate(name):
        if ch not in NAME_SEPARATORS:
            continue
        before, after = name[index - 1], name[index + 1]
        if before in NAME_SEPARATORS or after in NAME_SEPARATORS:
            raise misplaced
        if ch in LATIN_ONLY_SEPARATORS and (is_cjk(before) or is_cjk(after)):
            if ch == " ":
                raise ValidationError(gettext("汉字姓名中不能有空格；少数民族姓名请用间隔号“·”分隔，例如：阿卜杜热合曼·买买提"),
                                      code="space")
            raise misplaced


# --- form fields and the base forms --------------------------------------------------------------

class PersonNameField(forms.CharField):
    """姓名 under `validate_person_name`; max_length as the field says (30 unless given)."""

    text_rule = "person_name"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("姓名"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", {"required": _("请输入姓名")})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return validate_person_name(value)


class FreeTextField(forms.CharField):
    """Free text under `clean_free_text`; multi-line when its widget is a Textarea (or `multiline=True`)."""

    text_rule = "free_text"

    def __init__(self, *, multiline: bool | None = None, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str) or not value:
            return value
        multiline = self.multiline if self.multiline is not None else isinstance(self.widget, forms.Textarea)
        return clean_free_text(value, multiline=multiline, strip=self.strip)


def apply_free_text_rule(field: forms.Field) -> None:
    """Give a text field without a rule of its own the free-text rule (idempotent). Password inputs
    are left alone: they are hashed, never shown, and a rule would change what a password is."""
    if (not isinstance(field, forms.CharField) or getattr(field, "text_rule", None)
            or isinstance(field.widget, forms.PasswordInput)):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    original = field.to_python

    @functools.wraps(original)
    def to_python(value):
        value = original(value)
        if isinstance(value, str):
            return clean_free_text(value, multiline=multiline, strip=field.strip) if value else value
        return clean_strings(value)  # a JSONField and the like: every string inside

    field.to_python = to_python
    field.text_rule = "free_text"


class TextRulesMixin:
    """Every text field of the form gets the free-text rule unless it carries its own (PersonNameField)."""

    def full_clean(self):
        for field in self.fields.values():
            apply_free_text_rule(field)
        super().full_clean()


class Form(TextRulesMixin, forms.Form):
    """The project's base form: use instead of django.forms.Form."""


class ModelForm(TextRulesMixin, forms.ModelForm):
    """The project's base model form: use instead of django.forms.ModelForm."""
