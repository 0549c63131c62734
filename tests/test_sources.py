"""Sources anyone can check: every source states its level of evidence, no locator is a mirror or a proxy, and no
clinical statement rests only on secondary web pages (issue 11 §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from petechiae_edu import cli, content, paths
from petechiae_edu.content import ContentError
from petechiae_edu.content.records import EVIDENCE_LEVELS, SECONDARY_WEB, Source

# Locators that were once in data/sources.toml (commit 6282244) and must never come back.
OLD_BAD_LOCATORS = (
    "http://47.251.13.51:8081/912957",
    "http://69.63.68.22:8181/wikem_en_all_maxi_2020-05/A/Petechiae",
    "https://bibliotheek.ehb.be:2400/topics/en-us/274/prognosis",
    "https://proxy.weglot.com/wg_8714b7f1589aa0f6c92979708057c4a57/en/es/pubmed.ncbi.nlm.nih.gov/9326202",
    "https://tomorrow.paperai.life/https://www.scribd.com/document/651872842/manejo-trombocitopenia",
    "https://www.scribd.com/document/675354835/x",
    "https://pdffox.com/pooling-of-platelets-in-the-spleen-pdf-free.html",
    "https://docslib.org:443/doc/8385694/evaluating-the-child-with-purpura-alexander-k-c",
    "https://suppr.wilddata.cn/browses/detail/pubmed/2284928",
    "https://zendy.io/title/10.1111/trf.16167",
    "https://discovery.researcher.life/article/organ-system-bleeding-in-the-plado-trial/2d7e",
    "https://docksci.com/platelet-transfusion-a-clinical-practice-guideline-from-the-aabb_5a8.html",
)

# Placeholders the clinical review (I18) asked to fill; each now carries a DOI or PMID checked against PubMed or
# the publisher's page.
IDENTIFIED = (
    "plado_organ_bleeding",
    "nci_dc_cohort",
    "hasle2000",
    "hara1990",
    "bjh1997_ball_growth",
    "buchanan_itp_grade",
    "gmur1991",
    "siegel2017",
)


def _source(**fields) -> Source:
    base = {
        "key": "example",
        "kind": "web",
        "authors": (),
        "title": "Example",
        "confidence": "read",
        "evidence_level": "reference page",
        "url": "https://www.nice.org.uk/guidance/ng12",
    }
    base.update(fields)
    return Source(**base)


def test_every_source_states_its_level_of_evidence():
    missing = [key for key, source in content.sources().items() if source.evidence_level is None]
    assert not missing, f"sources without evidence_level: {missing}"


def test_an_unknown_evidence_level_is_refused_with_the_list_of_levels():
    with pytest.raises(ValueError, match="'hearsay' is not one of guideline, systematic review"):
        _source(evidence_level="hearsay")
    assert _source(evidence_level="secondary web").evidence_level == SECONDARY_WEB
    assert EVIDENCE_LEVELS[0] == "guideline" and EVIDENCE_LEVELS[-1] == SECONDARY_WEB


@pytest.mark.parametrize("url", OLD_BAD_LOCATORS)
def test_a_mirror_proxy_or_raw_ip_locator_is_named_as_such(url):
    assert _source(url=url).forbidden_locator()


@pytest.mark.parametrize(
    "url",
    [
        "https://pubmed.ncbi.nlm.nih.gov/11515831/",
        "https://ashpublications.org/blood/article/131/25/2745/37141/",
        "https://www.nice.org.uk/guidance/ng240",
        "https://bestpractice.bmj.com/topics/en-us/274/prognosis",
    ],
)
def test_a_publisher_or_pubmed_locator_is_accepted(url):
    assert _source(url=url).forbidden_locator() is None


def test_no_source_url_points_at_a_mirror_proxy_or_raw_ip_address():
    bad = {key: source.forbidden_locator() for key, source in content.sources().items() if source.forbidden_locator()}
    assert not bad, bad


def test_the_review_placeholders_carry_a_doi_or_pmid():
    sources = content.sources()
    for key in IDENTIFIED:
        assert sources[key].doi or sources[key].pmid, key


def _append_secondary_web_source(folder: Path, key: str) -> None:
    with (folder / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[source]]\nkey = "{key}"\nkind = "web"\nauthors = []\ntitle = "A blog post"\n'
            f'url = "https://example.org/blog"\nconfidence = "read"\nevidence_level = "secondary web"\n'
        )


def _cite_only(folder: Path, filename: str, entry_key: str, keys: list[str]) -> None:
    """Make the entry ``entry_key`` of ``filename`` cite exactly ``keys``."""
    path = folder / filename
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'key = "{entry_key}"')
    for index in range(start, len(lines)):
        if lines[index].startswith("sources = "):
            lines[index] = "sources = [" + ", ".join(f'"{k}"' for k in keys) + "]"
            break
    else:
        raise AssertionError(f"test set-up: no sources line after {entry_key} in {filename}")
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_statement_citing_only_secondary_web_pages_is_refused_by_name(scratch_data):
    _append_secondary_web_source(scratch_data, "some_blog")
    _cite_only(scratch_data, "glossary.toml", "petechia", ["some_blog"])
    refused = [p for p in content.source_rule_problems(scratch_data) if "some_blog" in str(p)]
    assert len(refused) == 1
    message = str(refused[0])
    assert "data/glossary.toml, entry 'petechia' (term #" in message
    assert "field 'sources'" in message and "secondary-web sources (some_blog)" in message


def test_validate_all_refuses_and_lists_every_refused_record(scratch_data):
    _append_secondary_web_source(scratch_data, "some_blog")
    _cite_only(scratch_data, "glossary.toml", "petechia", ["some_blog"])
    _cite_only(scratch_data, "glossary.toml", "purpura", ["some_blog"])
    with pytest.raises(ContentError) as caught:
        content.validate_all(scratch_data)
    message = str(caught.value)
    assert "refused by the source rules" in message
    assert "entry 'petechia' (term #" in message and "entry 'purpura' (term #" in message
    assert {p.entry.split(" ")[0] for p in caught.value.problems} >= {"'petechia'", "'purpura'"}


def test_a_secondary_web_page_beside_a_guideline_is_accepted(scratch_data):
    _append_secondary_web_source(scratch_data, "some_blog")
    _cite_only(scratch_data, "glossary.toml", "petechia", ["some_blog", "nice_ng240_2024"])
    assert not [p for p in content.source_rule_problems(scratch_data) if "some_blog" in str(p)]


def test_a_statement_nested_in_a_case_step_is_checked_too(scratch_data):
    _append_secondary_web_source(scratch_data, "some_blog")
    path = scratch_data / "cases" / "ttp.toml"
    text = path.read_text(encoding="utf-8")
    old = 'sources = ["scully2023_bsh_ttp"]'
    assert old in text, "test set-up"
    path.write_text(text.replace(old, 'sources = ["some_blog"]', 1), encoding="utf-8")
    refused = [str(p) for p in content.source_rule_problems(scratch_data)]
    assert any("data/cases/ttp.toml, entry 'ttp' (case #1).steps[" in p and "(some_blog)" in p for p in refused)


def test_a_mirror_url_in_the_bibliography_is_refused(scratch_data):
    path = scratch_data / "sources.toml"
    text = path.read_text(encoding="utf-8")
    old = 'url = "https://www.nice.org.uk/guidance/ng240"'
    assert old in text, "test set-up"
    path.write_text(text.replace(old, 'url = "http://47.251.13.51:8081/12345"', 1), encoding="utf-8")
    refused = [str(p) for p in content.source_rule_problems(scratch_data)]
    assert any("data/sources.toml, entry 'nice_ng240_2024'" in p and "raw IP address" in p for p in refused)


def test_check_reports_each_refused_record(scratch_data, monkeypatch, capsys):
    _append_secondary_web_source(scratch_data, "some_blog")
    _cite_only(scratch_data, "glossary.toml", "petechia", ["some_blog"])
    _cite_only(scratch_data, "glossary.toml", "purpura", ["some_blog"])
    monkeypatch.setattr(paths, "data_dir", lambda: Path(scratch_data))
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM content store:" in out
    assert "entry 'petechia' (term #" in out and "entry 'purpura' (term #" in out
    assert "secondary-web sources (some_blog)" in out


def test_a_source_without_its_level_of_evidence_is_refused(scratch_data):
    path = scratch_data / "sources.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('evidence_level = "trial"\n', "", 1), encoding="utf-8")
    with pytest.raises(ContentError, match="evidence_level"):
        content.validate_all(scratch_data)
