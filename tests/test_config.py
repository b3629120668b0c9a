"""config.py holds every setting with its default, and README names each one the
environment can set."""

import re

from tests.helpers import ROOT

APP = ROOT / "app"


def test_readme_names_every_setting_the_environment_sets():
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?:_int|_bool|_float|os\.environ\.get)\(\s*"([A-Z_]+)"', source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {"DATABASE_URL", "REMINDER_HOUR", "OUTBOX_BATCH_SIZE"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_no_module_keeps_default_settings_of_its_own():
    keeping = [path.relative_to(ROOT).as_posix() for path in APP.rglob("*.py")
               if re.search(r"^SETTINGS\b", path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert keeping == []
