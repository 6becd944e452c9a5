"""Chinese date formats for Python code (messages, exports): the functions behind the template filters
`cn_date` and `cn_datetime`, so that a message and a page write the same time the same way —
2027年03月01日 09:00, Beijing time (ISO-like when the page is in English)."""

from kaowu.core.templatetags.kaowu import cn_date, cn_datetime

__all__ = ["cn_date", "cn_datetime"]
