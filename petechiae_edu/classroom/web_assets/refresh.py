"""Maintainer tool: refresh the packaged handout web assets from the pinned npm packages.

Never called by ``petechiae-edu export``, which only copies what is already in this folder. After changing a pin
below, run it, update ``README.md`` here, and run ``pytest tests/test_export.py``::

    python -m petechiae_edu.classroom.web_assets.refresh              # download from registry.npmjs.org
    python -m petechiae_edu.classroom.web_assets.refresh --from DIR   # use the .tgz files already in DIR
    python -m petechiae_edu.classroom.web_assets.refresh --check      # only compare this folder with the tarballs

Every tarball is checked against the registry's sha512 integrity before anything is taken from it. The tool then
writes the files the pages load (and the licence texts the tarballs carry), removes files of the previous version
and rewrites ``SHA256SUMS``, the list of files that export copies. The licence texts that the tarballs do not
carry (``KEPT``) are maintained by hand.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = "SHA256SUMS"
NPM_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmAsset:
    """One pinned npm package and the files taken from it: (path in the package, target here)."""

    name: str
    version: str
    integrity: str  # the registry's dist.integrity (sha512, base64)
    licence: str  # SPDX identifier
    files: tuple[tuple[str, str], ...]  # a target ending in "/" is a folder: the file keeps its name

    @property
    def tarball_name(self) -> str:
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    @property
    def tarball_url(self) -> str:
        return f"{NPM_REGISTRY}/{self.name}/-/{self.tarball_name}"


NPM_ASSETS = (
    NpmAsset(
        "@jupyter-widgets/html-manager",
        "1.0.15",  # renders ipywidgets 8 state (widget protocol 2)
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
        "BSD-3-Clause",
        (
            ("dist/embed-amd.js", "html-manager/"),
            # the Font Awesome fonts embed-amd.js references; browsers never load its .eot/.svg fallbacks
            ("dist/*.woff2", "html-manager/"),
            ("dist/*.woff", "html-manager/"),
            ("dist/*.ttf", "html-manager/"),
            ("dist/embed.js.LICENSE.txt", "html-manager/THIRD-PARTY-NOTICES.txt"),
        ),
    ),
    NpmAsset(
        "mathjax",
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        "Apache-2.0",
        (
            ("es5/tex-chtml-full.js", "mathjax/"),
            ("es5/output/chtml/fonts/woff-v2/*.woff", "mathjax/output/chtml/fonts/woff-v2/"),
            ("LICENSE", "mathjax/LICENSE"),
        ),
    ),
    NpmAsset(
        "requirejs",
        "2.3.7",  # the npm package has no minified build; the pages load it as require.min.js
        "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        "MIT",
        (("require.js", "require.min.js"),),
    ),
)

# Licence texts the tarballs lack: html-manager's is the ipywidgets repository's LICENSE, require.js's the r.js one.
KEPT = ("html-manager/LICENSE", "require.min.js.LICENSE.txt")


class RefreshError(RuntimeError):
    """A tarball could not be read, does not match its integrity, or lacks a file the pages need."""


def tarball(asset: NpmAsset, source_dir: Path | None = None) -> bytes:
    """The package's tarball (from ``source_dir`` if given, else the registry), checked against its integrity."""
    if source_dir is not None:
        payload = (Path(source_dir) / asset.tarball_name).read_bytes()
    else:
        try:
            with urllib.request.urlopen(asset.tarball_url, timeout=120) as response:
                payload = response.read()
        except OSError as error:
            raise RefreshError(f"could not download {asset.tarball_url} ({error})") from None
    algorithm, expected = asset.integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, payload).digest()).decode()
    if actual != expected:
        raise RefreshError(f"{asset.tarball_name} does not match its registry integrity {asset.integrity}")
    return payload


def extract(asset: NpmAsset, payload: bytes) -> dict[str, bytes]:
    """The files to ship from one tarball, by their path in this folder."""
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as archive:
        members = {
            member.name.split("/", 1)[1]: member  # npm tarballs put everything under package/
            for member in archive.getmembers()
            if member.isfile()
        }
        wanted: dict[str, bytes] = {}
        for pattern, target in asset.files:
            matches = [
                inner for inner in sorted(members) if inner.count("/") == pattern.count("/") and fnmatch(inner, pattern)
            ]
            if not matches:
                raise RefreshError(f"{asset.tarball_name} has no {pattern}")
            for inner in matches:
                name = target + inner.rsplit("/", 1)[-1] if target.endswith("/") else target
                extracted = archive.extractfile(members[inner])
                assert extracted is not None
                wanted[name] = extracted.read()
    return wanted


def listed(folder: Path = HERE) -> list[str]:
    """The files named in ``folder/SHA256SUMS`` (empty if there is none yet)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return []
    return [line.split("  ", 1)[1] for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]


def refresh(folder: Path = HERE, *, source_dir: Path | None = None, check: bool = False) -> list[str]:
    """Rewrite the assets in ``folder`` from the pinned tarballs; return the files written.

    With ``check``, write nothing and return the files that differ from the tarballs (or are missing, or are
    listed but no longer come from any tarball).
    """
    wanted: dict[str, bytes] = {}
    for asset in NPM_ASSETS:
        wanted.update(extract(asset, tarball(asset, source_dir)))
    absent = [name for name in KEPT if not (folder / name).is_file()]
    if absent:
        raise RefreshError(f"missing licence text (maintained by hand, see README.md): {', '.join(absent)}")
    if check:
        stale = [name for name in listed(folder) if name not in wanted and name not in KEPT]
        differ = [name for name, data in wanted.items() if not _same(folder / name, data)]
        return sorted(differ + stale)
    for name in listed(folder):
        if name not in wanted and name not in KEPT:
            (folder / name).unlink(missing_ok=True)
    for name, data in wanted.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    lines = [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}" for name in sorted({*wanted, *KEPT})]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(wanted)


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m petechiae_edu.classroom.web_assets.refresh",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from", dest="source_dir", type=Path, metavar="DIR", help="read the .tgz files from DIR")
    parser.add_argument("--check", action="store_true", help="only report files that differ from the tarballs")
    arguments = parser.parse_args(argv)
    try:
        names = refresh(source_dir=arguments.source_dir, check=arguments.check)
    except (RefreshError, OSError) as error:
        print(f"refresh: {error}", file=sys.stderr)
        return 2
    if arguments.check:
        print("\n".join(f"differs: {name}" for name in names) or "every packaged asset matches its tarball")
        return 1 if names else 0
    print(f"wrote {len(names)} files and {MANIFEST} in {HERE}; now update README.md there")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
