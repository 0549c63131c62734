"""Specification of the illustrative petechiae model (petechiae_edu.models.petechiae)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petechiae_edu.models import petechiae
from petechiae_edu.models.petechiae import REGIONS, PetechiaeSampler, new_petechiae_rate, sample_petechiae

region_keys = st.sampled_from([r.key for r in REGIONS])


@settings(deadline=None)
@given(low=st.floats(0, 500), extra=st.floats(0, 500), key=region_keys)
def test_fewer_new_petechiae_when_platelets_rise(low, extra, key):
    assert new_petechiae_rate(low + extra, key) <= new_petechiae_rate(low, key)


@settings(deadline=None)
@given(count=st.floats(0, 1000), key=region_keys)
def test_rates_are_never_negative(count, key):
    assert new_petechiae_rate(count, key) >= 0


def test_lower_legs_have_the_highest_rate_without_straining():
    rates = {r.key: new_petechiae_rate(8, r.key) for r in REGIONS}
    assert max(rates, key=rates.get) == "lower_legs"


def test_straining_raises_only_the_area_above_the_nipple_line():
    for r in REGIONS:
        calm = new_petechiae_rate(8, r.key)
        strained = new_petechiae_rate(8, r.key, straining=True)
        assert (strained > calm) == r.above_nipple_line


def test_per_microlitre_count_is_refused():
    with pytest.raises(ValueError, match="per µL"):
        new_petechiae_rate(8000)


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown skin region"):
        new_petechiae_rate(8, "elbow")


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="days"):
        petechiae.expected_visible_petechiae(8, -1)


def test_sampling_is_reproducible_with_a_seed():
    first = sample_petechiae(5, 3, seed=11)
    second = sample_petechiae(5, 3, seed=11)
    np.testing.assert_array_equal(first.positions, second.positions)


def test_a_lower_count_only_adds_spots():
    sampler = PetechiaeSampler(seed=4)
    higher = sampler.sample(30, 3)
    lower = sampler.sample(5, 3)
    assert lower.total > higher.total
    for key, n in higher.counts_by_region.items():
        assert lower.counts_by_region[key] >= n


def test_spots_lie_inside_their_region():
    sample = sample_petechiae(3, 5)
    for (x, y), key in zip(sample.positions, sample.region_keys, strict=True):
        boxes = petechiae.region(key).boxes
        assert any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes)


def test_few_spots_at_a_normal_count():
    assert sample_petechiae(200, 5).total <= 2
