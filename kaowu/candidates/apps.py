"""Candidates, their 准考证号 and jurisdiction scoping."""

from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "kaowu.candidates"
    label = "candidates"
    verbose_name = "考生"
