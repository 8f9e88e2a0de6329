"""The build's settings, set by a maintainer in mkdocs.yml and checked before anything is built:

    extra:
      pricebook:
        data: data              # the data folder, relative to mkdocs.yml
        build_date: ""          # the day every figure and staleness check is for; "" = today.
                                # Fix it (2026-12-02) for a reproducible build.
        vendor_pyodide: true    # copy the 13 MB Pyodide runtime into the site (false: the
                                # calculator cannot run unless pyodide_url is set)
        pyodide_url: ""         # "" = the vendored copy; an https URL ending in / = load it from there
        precompress: true       # write .br and .gz beside the static assets (hooks/sitegen/precompress.py)

Environment variables override a setting for one build (the Makefile's `make build DATA=...` and
the tests use them): PRICEBOOK_DATA, PRICEBOOK_BUILD_DATE, PRICEBOOK_VENDOR_PYODIDE and
PRICEBOOK_PRECOMPRESS (1 or 0).
"""
import datetime
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {"data": "data", "build_date": "", "vendor_pyodide": True, "pyodide_url": "", "precompress": True}
ENVIRONMENT = {"PRICEBOOK_DATA": "data", "PRICEBOOK_BUILD_DATE": "build_date",
               "PRICEBOOK_VENDOR_PYODIDE": "vendor_pyodide", "PRICEBOOK_PRECOMPRESS": "precompress"}


class SettingsError(ValueError):
    """A setting that is not of its kind; the message names it and what it takes."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    build_date: object          # datetime.date, or None for "today"
    vendor_pyodide: bool
    pyodide_url: str
    precompress: bool = True

    def today(self):
        return self.build_date or datetime.date.today()


def _date(value, where):
    if value in ("", None):
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    text = str(value)
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise SettingsError(f"{where}: {text!r} is not a date; write YYYY-MM-DD (e.g. 2026-12-02) or leave it empty for today")


def _flag(value, where):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "0", "false", "no"):
        return value.strip().lower() in ("1", "true", "yes")
    raise SettingsError(f"{where}: {value!r} is not true or false")


def load(block, root, environ=None):
    """Settings from the `extra.pricebook` mapping of mkdocs.yml (None: all defaults), folders
    relative to `root` (mkdocs.yml's folder), overridden by `environ`'s PRICEBOOK_* variables."""
    environ = {} if environ is None else environ
    block = {} if block is None else block
    if not isinstance(block, dict):
        raise SettingsError("mkdocs.yml extra.pricebook: expected a mapping of settings "
                            f"({', '.join(DEFAULTS)})")
    unknown = sorted(set(block) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"mkdocs.yml extra.pricebook: unknown setting {', '.join(map(repr, unknown))}; "
                            f"the settings are {', '.join(DEFAULTS)}")
    values = {key: (block[key], f"mkdocs.yml extra.pricebook.{key}") for key in block}
    for name, key in ENVIRONMENT.items():
        if environ.get(name, "") != "":
            values[key] = (environ[name], name)
    value = {key: values.get(key, (default, key))[0] for key, default in DEFAULTS.items()}
    where = {key: values.get(key, (None, key))[1] for key in DEFAULTS}

    if not isinstance(value["data"], str) or not value["data"].strip():
        raise SettingsError(f"{where['data']}: expected the data folder's path, e.g. data")
    data_dir = Path(root) / value["data"]
    if not data_dir.is_dir():
        raise SettingsError(f"{where['data']}: the data folder {data_dir} does not exist")
    url = value["pyodide_url"]
    if not isinstance(url, str) or (url and not (url.startswith("https://") and url.endswith("/"))):
        raise SettingsError(f"{where['pyodide_url']}: {url!r}: leave it empty for the vendored Pyodide, or "
                            "give an https URL ending in /")
    return Settings(data_dir=data_dir.resolve(), build_date=_date(value["build_date"], where["build_date"]),
                    vendor_pyodide=_flag(value["vendor_pyodide"], where["vendor_pyodide"]), pyodide_url=url,
                    precompress=_flag(value["precompress"], where["precompress"]))
