"""The shared slider: a labelled number twin that always agrees with it, and a clear error for a bad start."""

import pytest

from petechiae_edu.widgets.controls import labelled_slider


@pytest.fixture
def platelets():
    return labelled_slider("Platelet count", minimum=0.5, maximum=150.0, step=0.5, value=8.0, unit="×10^9/L")


def test_moving_the_slider_updates_the_typed_number(platelets):
    platelets.slider.value = 42.5
    assert platelets.number.value == 42.5
    assert platelets.value == 42.5


def test_typing_a_number_moves_the_slider_and_reaches_observers_once(platelets):
    seen = []
    platelets.observe(lambda change: seen.append(change["new"]))
    platelets.number.value = 17.0
    assert platelets.slider.value == 17.0
    assert seen == [17.0]


def test_one_slider_move_reaches_observers_once(platelets):
    seen = []
    platelets.observe(lambda change: seen.append(change["new"]))
    platelets.slider.value = 9.5
    assert seen == [9.5]


def test_setting_the_value_sets_both_widgets(platelets):
    platelets.value = 120.0
    assert (platelets.slider.value, platelets.number.value) == (120.0, 120.0)


def test_the_labels_name_the_quantity_and_its_unit(platelets):
    assert platelets.slider.description == "Platelet count (×10^9/L)"
    assert platelets.number.description == "Platelet count, typed:"
    assert platelets.number.tooltip == "Platelet count (×10^9/L)"
    assert "×10^9/L" in platelets.box.children[2].value


def test_a_start_value_outside_the_range_names_value_range_and_unit():
    with pytest.raises(ValueError, match=r"Platelet count: start value 200 ×10\^9/L is outside 0.5–150 ×10\^9/L"):
        labelled_slider("Platelet count", minimum=0.5, maximum=150, step=0.5, value=200, unit="×10^9/L")


def test_the_typed_box_shows_the_value_rounded_to_the_step():
    share = labelled_slider("Held in the spleen", minimum=0.0, maximum=0.9, step=0.01, value=0.3, unit="fraction")
    share.slider.value = 0.1 + 0.23  # 0.33000000000000007 in binary floating point
    assert share.number.value == 0.33
    assert repr(share.number.value) == "0.33"


def test_the_typed_box_has_room_for_seven_characters_beside_a_long_label():
    long = labelled_slider("Platelet production, share of normal", minimum=0, maximum=300, step=5, value=100, unit="%")
    width_em = float(long.number.layout.width.removesuffix("em"))
    label_em = 0.6 * len(long.number.description)
    assert width_em - label_em >= 7
    assert long.box.layout.flex_flow == "row wrap"  # a narrow screen wraps the row instead of overflowing
