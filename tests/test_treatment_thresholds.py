"""Platelet transfusion thresholds: the content, the lookups and the filterable table."""

from __future__ import annotations

import re

import pytest

from petechiae_edu import citations, content, transfusion_thresholds_table
from petechiae_edu.content import ContentError, FieldError
from petechiae_edu.content.treatment import (
    TransfusionThreshold,
    guidelines,
    settings,
    threshold_for,
    transfusion_thresholds,
)


def test_the_thresholds_file_validates_with_every_source_resolving():
    counts = content.validate_all()
    assert counts["transfusion_thresholds.toml"] == len(transfusion_thresholds()) >= 15


def test_aabb_2015_prophylaxis_is_10_or_less():
    advice = threshold_for("chemotherapy_prophylaxis", "aabb2015")
    assert (advice.comparison, advice.threshold, advice.status) == ("≤", 10, "read")
    assert advice.sources == ("kaufman2015",)


def test_the_newest_verified_guideline_answers_by_default():
    advice = threshold_for("chemotherapy_prophylaxis")
    assert advice.guideline == "aabb_ictmg2025"
    assert advice.threshold_text == "<10 ×10^9/L"


def test_the_lumbar_puncture_threshold_fell_from_50_to_20_between_guidelines():
    assert threshold_for("lumbar_puncture", "aabb2015").threshold == 50
    assert threshold_for("lumbar_puncture", "aabb_ictmg2025").threshold == 20


@pytest.mark.parametrize(
    ("setting", "threshold"),
    [
        ("central_venous_catheter", 10),
        ("interventional_radiology_low_risk", 20),
        ("interventional_radiology_high_risk", 50),
        ("major_surgery", 50),
        ("preterm_neonates", 25),
    ],
)
def test_aabb_ictmg_2025_thresholds_match_the_evidence_file(setting, threshold):
    advice = threshold_for(setting, "aabb_ictmg2025")
    assert advice.threshold == threshold
    assert advice.status == "secondary"


@pytest.mark.parametrize("setting", ["autologous_sct", "aplastic_anaemia", "dengue"])
def test_settings_without_prophylaxis_carry_no_number(setting):
    advice = threshold_for(setting, "aabb_ictmg2025")
    assert advice.threshold is None
    assert "No prophylactic" in advice.advice


def test_asco_2018_autologous_transplant_statement_is_read_and_spares_children():
    advice = threshold_for("autologous_sct", "asco2018")
    assert advice.status == "read"
    assert "first sign of bleeding" in advice.advice and "children" in advice.advice


def test_unverified_asco_and_bsh_numbers_are_never_shown():
    unverified = [t for t in transfusion_thresholds() if t.status == "unverified"]
    assert {t.guideline for t in unverified} == {"asco2018", "bsh2017"}
    for t in unverified:
        assert t.threshold is None
        assert t.threshold_text == "not verified (no number shown)"
        assert "100" not in t.advice and "40" not in t.advice


def test_a_verified_entry_is_preferred_over_an_unverified_one():
    assert threshold_for("neurosurgery").status == "unverified"  # the only entry: returned, but says so
    assert threshold_for("autologous_sct").status != "unverified"


def test_an_unverified_threshold_cannot_be_written_as_a_number():
    with pytest.raises(FieldError, match="unverified threshold must not be shipped"):
        TransfusionThreshold(
            key="x",
            guideline="asco2018",
            guideline_name="ASCO 2018",
            year=2018,
            setting="s",
            setting_name="S",
            advice="a",
            status="unverified",
            sources=("schiffer2018",),
            threshold=10,
            comparison="<",
        )


def test_a_bad_status_in_a_data_file_names_file_entry_and_field(tmp_path):
    (tmp_path / "sources.toml").write_text(
        'schema = "sources"\n[[source]]\nkey = "kaufman2015"\nkind = "guideline"\nauthors = []\n'
        'title = "t"\nconfidence = "read"\nurl = "https://example.org"\n',
        encoding="utf-8",
    )
    (tmp_path / "transfusion_thresholds.toml").write_text(
        'schema = "transfusion_thresholds"\n[[threshold]]\nkey = "bad"\nguideline = "aabb2015"\n'
        'guideline_name = "AABB 2015"\nyear = 2015\nsetting = "s"\nsetting_name = "S"\nadvice = "a"\n'
        'status = "guessed"\nsources = ["kaufman2015"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="status"):
        transfusion_thresholds(data_dir=tmp_path)


def test_an_unknown_setting_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"known settings: .*lumbar_puncture"):
        threshold_for("haircut")


def test_a_guideline_silent_on_a_setting_says_which_guidelines_cover_it():
    with pytest.raises(KeyError, match="guidelines that do: aabb2015"):
        threshold_for("cardiopulmonary_bypass", "aabb_ictmg2025")


def test_guidelines_and_settings_are_listed_once_each():
    assert list(guidelines()) == [
        "aabb2015",
        "aabb_ictmg2025",
        "asco2018",
        "bsh2017",
        "isth2020",
        "ash2018_hit",
        "icr2019_itp",
        "eln2019_apl",
        "ash_edu2020",
    ]
    assert len(settings()) == len(set(settings().values()))


# --- the table widget ----------------------------------------------------------------------------------------


def test_the_table_starts_with_every_recommendation():
    table = transfusion_thresholds_table()
    assert len(table.rows) == len(transfusion_thresholds())


def test_filtering_by_setting_shows_each_guideline_for_that_setting():
    table = transfusion_thresholds_table()
    table.setting.value = "lumbar_puncture"
    assert [row[0] for row in table.rows] == ["AABB 2015", "AABB/ICTMG 2025"]
    assert table.description == "2 recommendations shown; thresholds shown: <20 ×10^9/L, <50 ×10^9/L."
    assert "&lt;20 ×10^9/L" in table.table_html.value


def test_filtering_by_guideline_and_setting_together():
    table = transfusion_thresholds_table(guideline="aabb2015", setting="chemotherapy_prophylaxis")
    assert len(table.rows) == 1
    assert table.rows[0][2] == "≤10 ×10^9/L"
    table.guideline.value = "bsh2017"
    assert table.rows == ()
    assert "No guideline" in table.table_html.value


def test_the_table_is_accessible_text_with_caption_and_header_cells():
    html = transfusion_thresholds_table(guideline="asco2018").table_html.value
    assert "<caption" in html and re.search(r'<th scope="col"[^>]*>Transfuse at</th>', html)
    assert "NOT verified: no number shown" in html


def test_showing_the_table_cites_the_guidelines_on_screen():
    citations.reset()
    transfusion_thresholds_table(guideline="aabb2015")
    assert citations.used() == ("kaufman2015",)


def test_an_unknown_filter_is_refused():
    with pytest.raises(ValueError, match="unknown guideline 'nice'"):
        transfusion_thresholds_table(guideline="nice")
    with pytest.raises(ValueError, match="unknown setting 'x'"):
        transfusion_thresholds_table(setting="x")


def test_advice_that_forbids_prophylaxis_reads_as_such_and_never_carries_a_number():
    for setting in ("ttp", "hit", "itp"):
        advice = threshold_for(setting)
        assert advice.kind == "avoid" and advice.threshold is None
        assert advice.threshold_text == "no prophylactic platelets"


# --- one table of thresholds (code review §3.2: they were kept three times, under two classes of one name) ------


def test_one_record_class_holds_a_transfusion_threshold():
    import importlib
    import pkgutil

    import petechiae_edu

    found = set()
    for module in pkgutil.walk_packages(petechiae_edu.__path__, "petechiae_edu."):
        if ".widgets" in module.name or ".classroom" in module.name:
            continue  # apps and classroom tools define no records
        for name, value in vars(importlib.import_module(module.name)).items():
            if isinstance(value, type) and name == "TransfusionThreshold":
                found.add(f"{value.__module__}.{value.__qualname__}")
    assert found == {"petechiae_edu.content.treatment.TransfusionThreshold"}


def test_no_other_data_file_restates_a_threshold():
    import tomllib

    from petechiae_edu import paths

    data = paths.data_dir()
    for path in sorted(data.rglob("*.toml")):
        if path.name == "transfusion_thresholds.toml":
            continue
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert "threshold" not in document, f"{path.relative_to(data)} has [[threshold]] entries"


def test_no_module_restates_a_threshold_label_or_number():
    import re
    from pathlib import Path

    import petechiae_edu

    # a threshold number next to a setting label (THRESHOLD_LABELS = {10.0: "10: prophylaxis", ...} was one)
    spelt = re.compile(r"""\b(?:10|20|50)(?:\.0)?\s*:\s*["'][^"']*(?:prophylaxis|CVC|LP|surgery)""")
    for path in sorted(Path(petechiae_edu.__file__).parent.rglob("*.py")):
        assert not spelt.search(path.read_text(encoding="utf-8")), f"{path.name} spells a threshold"


def test_the_bleeding_figure_draws_the_charted_rows_of_the_one_table():
    from petechiae_edu.content import bleeding_data
    from petechiae_edu.content.treatment import charted_thresholds
    from petechiae_edu.figures.bleeding import threshold_lines

    rows = bleeding_data.transfusion_thresholds()
    assert rows == charted_thresholds() and all(isinstance(r, TransfusionThreshold) for r in rows)
    assert {k for r in rows for k in r.sources} == {"kaufman2015", "metcalf2025"}
    assert threshold_lines(rows) == [(10.0, "10: prophylaxis"), (20.0, "20: CVC / LP"), (50.0, "50: surgery")]


def test_a_chart_label_needs_a_threshold(scratch_data):
    path = scratch_data / "transfusion_thresholds.toml"
    text = path.read_text(encoding="utf-8")
    old = 'setting = "autologous_sct"\n'
    assert old in text, "test set-up"
    path.write_text(text.replace(old, old + 'chart_label = "ASCT"\n', 1), encoding="utf-8")
    with pytest.raises(ContentError, match="field 'chart_label': only a row with a threshold"):
        transfusion_thresholds(scratch_data)
