"""hooks.sitegen.vendor: the calculator wheel, and copying Pyodide and tablesort into the site."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from hooks.sitegen.vendor import (
    PYODIDE_FILES,
    VendorError,
    build_calculator_wheel,
    copy_pyodide,
    copy_tablesort,
    wheel_name,
)

REPO = Path(__file__).resolve().parents[1]


def make_repo(root: Path, version: str = "1.2.3") -> Path:
    """A minimal repository: pyproject.toml, a calculator package and things that must stay out."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "pricebook"\nversion = "{version}"\nrequires-python = ">=3.11"\n'
    )
    pkg = root / "calculator"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""engine"""\nVALUE = 42\n')
    (pkg / "money.py").write_text("from decimal import Decimal\nZERO = Decimal('0')\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "table.json").write_text('{"a": 1}\n')
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "money.cpython-311.pyc").write_bytes(b"\0junk")
    (pkg / ".hidden.py").write_text("x = 1\n")
    (root / "hooks").mkdir()
    (root / "hooks" / "__init__.py").write_text("import mkdocs\n")
    return root


def read_record(zf: zipfile.ZipFile, dist_info: str) -> list[list[str]]:
    text = zf.read(f"{dist_info}/RECORD").decode()
    return list(csv.reader(io.StringIO(text)))


def test_wheel_name_and_contents(tmp_path):
    repo = make_repo(tmp_path / "repo")
    wheel = build_calculator_wheel(repo, tmp_path / "out")
    assert wheel == tmp_path / "out" / "pricebook_calculator-1.2.3-py3-none-any.whl"
    assert wheel.name == wheel_name("1.2.3")
    with zipfile.ZipFile(wheel) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        di = "pricebook_calculator-1.2.3.dist-info"
        assert names == {
            "calculator/__init__.py",
            "calculator/money.py",
            "calculator/sub/__init__.py",
            "calculator/sub/table.json",
            f"{di}/METADATA",
            f"{di}/WHEEL",
            f"{di}/top_level.txt",
            f"{di}/RECORD",
        }
        assert zf.read("calculator/__init__.py") == (repo / "calculator/__init__.py").read_bytes()
        metadata = zf.read(f"{di}/METADATA").decode()
        assert "Metadata-Version: 2.1\n" in metadata
        assert "Name: pricebook-calculator\n" in metadata
        assert "Version: 1.2.3\n" in metadata
        assert "Requires-Python: >=3.11\n" in metadata
        assert "Requires-Dist" not in metadata  # stdlib only: nothing for Pyodide to fetch
        wheel_meta = zf.read(f"{di}/WHEEL").decode().splitlines()
        assert "Wheel-Version: 1.0" in wheel_meta
        assert "Root-Is-Purelib: true" in wheel_meta
        assert "Tag: py3-none-any" in wheel_meta


def test_record_lists_every_file_with_a_valid_hash(tmp_path):
    wheel = build_calculator_wheel(make_repo(tmp_path / "repo"), tmp_path / "out")
    di = "pricebook_calculator-1.2.3.dist-info"
    with zipfile.ZipFile(wheel) as zf:
        rows = read_record(zf, di)
        by_name = {row[0]: row for row in rows}
        assert len(by_name) == len(rows) == len(zf.namelist())
        assert set(by_name) == set(zf.namelist())
        assert by_name[f"{di}/RECORD"] == [f"{di}/RECORD", "", ""]
        for name, row in by_name.items():
            if name.endswith("/RECORD"):
                continue
            data = zf.read(name)
            algo, _, digest = row[1].partition("=")
            assert algo == "sha256"
            assert "=" not in digest  # urlsafe base64 without padding (PEP 376 / wheel spec)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == expected.decode(), name
            assert int(row[2]) == len(data), name


def test_wheel_is_deterministic(tmp_path):
    repo = make_repo(tmp_path / "repo")
    first = build_calculator_wheel(repo, tmp_path / "a").read_bytes()
    # touch the sources: new mtimes must not change a byte
    for path in (repo / "calculator").rglob("*.py"):
        path.write_bytes(path.read_bytes())
    second = build_calculator_wheel(repo, tmp_path / "b").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_wheel_follows_source_changes(tmp_path):
    repo = make_repo(tmp_path / "repo")
    first = build_calculator_wheel(repo, tmp_path / "a").read_bytes()
    (repo / "calculator" / "money.py").write_text("ZERO = 0\n")
    assert build_calculator_wheel(repo, tmp_path / "b").read_bytes() != first


def test_wheel_importable_from_zip(tmp_path):
    """A wheel is a zip a Python can import from: a cheap check that the layout is right."""
    import subprocess
    import sys

    wheel = build_calculator_wheel(make_repo(tmp_path / "repo"), tmp_path / "out")
    out = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(wheel)!r}); import calculator, calculator.sub; "
            "print(calculator.VALUE, calculator.__file__.startswith(sys.path[0]))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["42", "True"]


def test_wheel_needs_the_package(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "calculator" / "__init__.py").unlink()
    with pytest.raises(VendorError, match=r"calculator.__init__\.py is missing"):
        build_calculator_wheel(repo, tmp_path / "out")


def test_wheel_needs_a_version(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(VendorError, match="version"):
        build_calculator_wheel(repo, tmp_path / "out")


def test_real_calculator_wheel_has_no_build_side(tmp_path):
    wheel = build_calculator_wheel(REPO, tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        tops = {name.split("/")[0] for name in zf.namelist()}
    assert tops == {"calculator", wheel.name.split("-py3-")[0] + ".dist-info"}


@pytest.mark.parametrize("copy", [copy_pyodide, copy_tablesort])
def test_missing_node_modules_names_the_fix(tmp_path, copy):
    with pytest.raises(VendorError) as err:
        copy(tmp_path / "node_modules", tmp_path / "site")
    message = str(err.value)
    assert "make setup" in message and "npm ci" in message
    assert str(tmp_path / "node_modules") in message
    assert not (tmp_path / "site").exists()


def test_incomplete_pyodide_package_is_an_error(tmp_path):
    pkg = tmp_path / "node_modules" / "pyodide"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text("{}")
    (pkg / "pyodide.mjs").write_text("")
    with pytest.raises(VendorError, match="pyodide.asm.wasm"):
        copy_pyodide(tmp_path / "node_modules", tmp_path / "site")


def fake_node_modules(root: Path) -> Path:
    nm = root / "node_modules"
    pyodide = nm / "pyodide"
    pyodide.mkdir(parents=True)
    for name in (*PYODIDE_FILES, "package.json", "pyodide.d.ts", "ffi.d.ts", "pyodide.js",
                 "pyodide.mjs.map", "console.html"):
        (pyodide / name).write_text(f"// {name}\n")
    ts = nm / "tablesort"
    (ts / "dist" / "sorts").mkdir(parents=True)
    (ts / "package.json").write_text("{}")
    (ts / "dist" / "tablesort.min.js").write_text("// ts\n")
    for sort in ("number", "date", "dotsep"):
        (ts / "dist" / "sorts" / f"tablesort.{sort}.min.js").write_text(f"// {sort}\n")
    return nm


def test_copy_pyodide_copies_the_runtime_only(tmp_path):
    nm = fake_node_modules(tmp_path)
    site = tmp_path / "site"
    copied = copy_pyodide(nm, site)
    assert copied == [f"assets/pyodide/{name}" for name in PYODIDE_FILES]
    assert sorted(p.name for p in (site / "assets" / "pyodide").iterdir()) == sorted(PYODIDE_FILES)
    for name in PYODIDE_FILES:
        assert (site / "assets/pyodide" / name).read_text() == f"// {name}\n"
    # a second build over the same site is fine and picks up a changed source
    (nm / "pyodide" / "pyodide.mjs").write_text("// changed, longer\n")
    assert copy_pyodide(nm, site) == copied
    assert (site / "assets/pyodide/pyodide.mjs").read_text() == "// changed, longer\n"


def test_copy_tablesort(tmp_path):
    nm = fake_node_modules(tmp_path)
    site = tmp_path / "site"
    assert copy_tablesort(nm, site) == [
        "assets/vendor/tablesort.min.js",
        "assets/vendor/tablesort.number.min.js",
    ]
    assert sorted(p.name for p in (site / "assets" / "vendor").iterdir()) == [
        "tablesort.min.js",
        "tablesort.number.min.js",
    ]


def test_real_node_modules_have_what_we_copy(tmp_path):
    """The pinned npm packages still ship the files named in PYODIDE_FILES / TABLESORT_FILES.

    Fails (does not skip) without node_modules: `make setup` installs them.
    """
    copied = copy_pyodide(REPO / "node_modules", tmp_path) + copy_tablesort(
        REPO / "node_modules", tmp_path
    )
    assert len(copied) == len(PYODIDE_FILES) + 2
    assert (tmp_path / "assets/pyodide/pyodide.asm.wasm").read_bytes()[:4] == b"\0asm"
