"""Candidates are deliberately not on the province admin site.

A candidate's record holds personal data (身份证号, 手机号): staff reach it only through 考生管理
in the back office, where every list and every view is scoped by jurisdiction
(`candidates_visible_to`), masked, and written to the audit log. A Django admin page would show
the same data unmasked, unscoped and unaudited.
"""
