"""helpers.checks: the one wording of every argument check, in Python and on the command line."""

from __future__ import annotations

import argparse
import functools

import numpy as np
import pytest

from helpers import checks


@pytest.mark.parametrize("value, message", [
    (0, "units must be a positive integer; got 0. Try units=64."),
    (-3, "units must be a positive integer; got -3. Try units=64."),
    (2.5, "units must be a positive integer; got 2.5 (float). Try units=64."),
    (True, "units must be a positive integer; got True (bool). Try units=64."),
    ("8", "units must be a positive integer; got '8' (str). Try units=64."),
])
def test_positive_int_refuses_with_name_value_and_fix(value, message):
    with pytest.raises(ValueError) as info:
        checks.positive_int("units", value, "Try units=64.")
    assert str(info.value) == message


def test_checks_return_the_converted_value():
    assert checks.positive_int("n", np.int64(3)) == 3 and type(checks.positive_int("n", 3)) is int
    assert checks.positive_number("lr", 1) == 1.0
    assert checks.fraction("val_fraction", 0.1) == 0.1
    assert checks.ids_in_range("ids", [0, 4], 5, "len(vocab)").tolist() == [0, 4]
    assert checks.known_symbols("prime", "ab", "abc") == "ab"
    assert checks.dropout_rate("dropout", 0) == 0.0 and checks.dropout_rate("d", 0.5) == 0.5
    assert checks.random_seed("seed", np.uint32(2**32 - 1)) == 2**32 - 1
    assert checks.positive_int("units", 8, at_most=8) == 8


@pytest.mark.parametrize("check, args, message", [
    (checks.positive_number, ("lr", 0.0), "lr must be a positive number; got 0.0."),
    (checks.positive_number, ("lr", float("nan")), "lr must be a positive number; got nan."),
    (checks.positive_number, ("lr", float("inf")), "lr must be a positive number; got inf."),
    (checks.fraction, ("val_fraction", 1), "val_fraction must be a number between 0 and 1 "
                                           "(both excluded); got 1."),
    (checks.ids_in_range, ("ids", [0, 5], 5, "len(vocab)", "Decode with its vocabulary."),
     "ids must lie in [0, len(vocab)=5); got values from 0 to 5. Decode with its vocabulary."),
    (checks.ids_in_range, ("ids", [0.5], 5, "len(vocab)"),
     "ids must be integers; got dtype float64."),
    (checks.dropout_rate, ("dropout", 1.0), "dropout must be a fraction in [0, 1); got 1.0."),
    (checks.dropout_rate, ("dropout", -0.1), "dropout must be a fraction in [0, 1); got -0.1."),
    (checks.random_seed, ("seed", -5), "seed must be an integer from 0 to 4294967295; got -5."),
    (checks.random_seed, ("seed", 2**32), "seed must be an integer from 0 to 4294967295; got "
                                          "4294967296."),
    (checks.random_seed, ("seed", 1.0), "seed must be an integer from 0 to 4294967295; got "
                                        "1.0 (float)."),
    (functools.partial(checks.positive_int, at_most=8), ("units", 9, "Use fewer."),
     "units must be a positive integer of at most 8; got 9. Use fewer."),
    (checks.known_symbols, ("--prime", "a~", "abc"),
     "--prime holds characters the model never saw: '~'."),
    (checks.known_symbols, ("--prime", "", "abc"),
     "--prime must hold at least one character; got ''."),
])
def test_each_check_says_what_was_expected_and_what_was_given(check, args, message):
    with pytest.raises(ValueError) as info:
        check(*args)
    assert str(info.value) == message


def test_argparse_type_reports_through_argparse_with_the_same_words(capsys):
    parser = argparse.ArgumentParser(prog="demo")
    parser.add_argument("--units", type=checks.argparse_type(checks.positive_int))
    parser.add_argument("--lr", type=checks.argparse_type(checks.positive_number, float))
    assert parser.parse_args(["--units", "8", "--lr", "0.5"]) == argparse.Namespace(units=8,
                                                                                    lr=0.5)
    for argv, message in [(["--units", "0"], "argument --units: must be a positive integer; "
                                             "got 0."),
                          (["--units", "x"], "argument --units: must be a positive integer; "
                                             "got 'x' (str)."),
                          (["--lr", "-1"], "argument --lr: must be a positive number; got -1.0.")]:
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
        assert capsys.readouterr().err.strip().splitlines()[-1] == f"demo: error: {message}"
