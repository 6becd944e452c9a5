import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_readme_opens_with_the_two_commands():
    first_block = ROOT.joinpath("README.md").read_text().split("```")[1]
    commands = [line for line in first_block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["bash scripts/demo.sh", "bash scripts/test.sh"]


def test_every_setting_read_from_the_environment_is_documented():
    settings_text = ROOT.joinpath("kaowu", "settings.py").read_text()
    readme = ROOT.joinpath("README.md").read_text()
    names = set(re.findall(r'"(KAOWU_[A-Z_]+)"', settings_text))
    assert names, "no KAOWU_ variables found"
    assert sorted(n for n in names if n not in readme) == []
