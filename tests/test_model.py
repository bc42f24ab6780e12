"""The engine's value types keep every dataclass promise with their faster ``__init__``."""

from __future__ import annotations

import dataclasses

import pytest

from game.model import Account, Company, Grievance, RoundOutcome, Snapshot, quick_init, quick_new


def test_a_quick_init_account_is_the_same_value_as_a_dataclass_one() -> None:
    a = Account(1, "Acme", "dev", 120.0, pooled=True)
    assert a == Account(id=1, name="Acme", persona="dev", arr=120.0, since_round=0, pooled=True)
    assert hash(a) == hash(Account(1, "Acme", "dev", 120.0, 0, 0.0, True))
    assert (a.neglect, a.grievances, a.sold_with) == (0.0, (), "")  # the defaults
    assert dataclasses.replace(a, arr=5.0).arr == 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.arr = 1.0  # type: ignore[misc]


def test_a_quick_init_value_is_exactly_its_own_class_and_survives_pickle_and_copy() -> None:
    import copy
    import pickle

    a = Account(1, "Acme", "dev", 120.0, 2, 1.5, False, (Grievance("c1", 1, "no"),), "d1")  # type: ignore[arg-type]
    assert type(a) is Account and a.__class__ is Account  # the twin class never shows
    for twin in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert twin == a and type(twin) is Account
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.neglect = 0.0  # type: ignore[misc]


def test_quick_new_makes_the_same_value_as_the_class() -> None:
    make = quick_new(Account)
    a = make(1, "Acme", "dev", 120.0, pooled=True)
    assert a == Account(1, "Acme", "dev", 120.0, pooled=True) and type(a) is Account
    assert hash(a) == hash(Account(1, "Acme", "dev", 120.0, pooled=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.arr = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        make(1, "Acme")
    with pytest.raises(TypeError, match="no quick_init"):
        quick_new(dataclasses.make_dataclass("Plain", ["x"], frozen=True, slots=True))


def test_only_slotted_classes_with_no_base_are_taken() -> None:
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        x: int

    with pytest.raises(TypeError, match="slotted"):
        quick_init(Unslotted)


def test_missing_and_unknown_arguments_are_refused_as_before() -> None:
    with pytest.raises(TypeError):
        Account(1, "Acme")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Snapshot(1, 2, 3, 4, 5, 6, 7, churned=1)  # type: ignore[call-arg]


def test_every_field_is_set_in_order() -> None:
    snap = Snapshot(1.0, 2.0, 3.0, 4, 5.0, 6, 7)
    assert dataclasses.astuple(snap) == (1.0, 2.0, 3.0, 4, 5.0, 6, 7)
    company = Company("Co", 3, 10.0, 1.0, 50.0, 0.0, ())
    assert company.rounds_played == 0 and company.next_account_id == 1
    outcome = RoundOutcome(0, snap, snap, (), (), 1, 3, ())
    assert outcome.bumped == () and outcome.headline == ""
    assert Grievance("c1", 2, "defer").round_index == 2  # type: ignore[arg-type]


def test_fields_with_a_factory_are_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="plain fields"):
        quick_init(WithFactory)


def test_a_scenarios_lookups_are_worked_out_from_its_rounds_and_never_stored() -> None:
    from game.model import COMEBACK_SUFFIX, Scenario
    from game.scenario import find_scenario, load_scenario
    from game.store.codec import from_data, to_data

    scenario = load_scenario(find_scenario("saas-startup"))
    comebacks = [c for r in scenario.rounds for c in r.cards if c.comes_back is not None]
    assert comebacks
    for card in comebacks:
        assert card.comes_back is not None
        assert scenario.card(card.id + COMEBACK_SUFFIX).deal_size == card.comes_back.deal_size
    data = to_data(scenario)
    assert "cards" not in data and "tables" not in data and "working" not in data
    again = from_data(Scenario, data)
    assert again == scenario and again.cards.keys() == scenario.cards.keys()
    one_round = dataclasses.replace(scenario, rounds=scenario.rounds[:1])  # the lookups follow the rounds
    assert set(one_round.cards) < set(scenario.cards) and len(one_round.tables) == 1
