"""helpers.forecasting: the split, the scaler check, the naive forecasts and their checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from helpers.forecasting import (
    best_lag,
    check_fitted_on,
    chronological_split,
    persistence,
    seasonal_naive,
    skill_score,
)


def test_chronological_split_is_in_time_order_and_covers_every_step():
    train, validation, test = chronological_split(100, validation=0.15, test=0.2)
    assert (train, validation, test) == (slice(0, 65), slice(65, 80), slice(80, 100))
    steps = np.concatenate([np.arange(100)[part] for part in (train, validation, test)])
    np.testing.assert_array_equal(steps, np.arange(100))


@pytest.mark.parametrize("length, validation, test, message", [
    (4, 0.1, 0.1, "leaves the test part empty"),
    (3, 0.05, 0.05, "leaves the validation and test part empty"),
    (10, 0.5, 0.5, "validation \\+ test must be below 1"),
    (10, 0.0, 0.2, "validation must be a number between 0 and 1"),
    (10, 0.2, 1.5, "test must be a number between 0 and 1"),
    (0, 0.2, 0.2, "length must be a positive integer"),
])
def test_chronological_split_refuses_empty_or_overlapping_parts(length, validation, test,
                                                                message):
    with pytest.raises(ValueError, match=message):
        chronological_split(length, validation=validation, test=test)


@pytest.mark.parametrize("make", [StandardScaler, MinMaxScaler])
def test_check_fitted_on_accepts_a_scaler_fitted_on_train_and_refuses_one_fitted_on_all(make):
    series = np.random.default_rng(0).normal(size=(200, 3)) + np.linspace(0, 5, 200)[:, None]
    train = series[:140]
    check_fitted_on(make().fit(train), train)
    with pytest.raises(ValueError, match="scaler was not fitted on train alone"):
        check_fitted_on(make().fit(series), train)


def test_check_fitted_on_takes_one_column_and_refuses_an_unfitted_scaler():
    train = np.arange(10.0)
    check_fitted_on(StandardScaler().fit(train[:, None]), train)
    with pytest.raises(TypeError, match="scaler must be a fitted StandardScaler"):
        check_fitted_on(StandardScaler(), train)
    with pytest.raises(ValueError, match="train holds NaN"):
        check_fitted_on(StandardScaler().fit(train[:, None]), np.array([1.0, np.nan]))


def test_persistence_and_seasonal_naive_read_the_right_past_values():
    series = np.arange(30.0)
    targets = np.array([12, 20, 29])
    np.testing.assert_array_equal(persistence(series, targets), [11, 19, 28])
    np.testing.assert_array_equal(persistence(series, targets, horizon=7), [5, 13, 22])
    np.testing.assert_array_equal(seasonal_naive(series, targets, period=12), [0, 8, 17])
    # 13 steps ahead, a season of 12 is not yet known: go back two seasons
    np.testing.assert_array_equal(seasonal_naive(series, [24, 29], period=12, horizon=13), [0, 5])


@pytest.mark.parametrize("call, message", [
    (lambda s: persistence(s, [0]), "target_index must lie in \\[1, 29\\]"),
    (lambda s: persistence(s, [30]), "target_index must lie in \\[1, 29\\]"),
    (lambda s: seasonal_naive(s, [5], period=12), "target_index must lie in \\[12, 29\\]"),
    (lambda s: persistence(s, [3], horizon=0), "horizon must be a positive integer"),
    (lambda s: persistence(s, [2.0]), "target_index must be integers"),
    (lambda s: persistence(np.where(s == 4, np.nan, s), [6]), "series holds 1 NaN"),
    (lambda s: persistence(s.reshape(15, 2), [6]), "series must be 1-D"),
])
def test_naive_forecasts_refuse_targets_they_cannot_forecast(call, message):
    with pytest.raises(ValueError, match=message):
        call(np.arange(30.0))


def test_skill_score_and_its_errors():
    assert skill_score(0.5, 1.0) == 0.5
    assert skill_score(1.0, 1.0) == 0.0
    assert skill_score(2.0, 1.0) == -1.0
    with pytest.raises(ValueError, match="reference_error is 0"):
        skill_score(0.1, 0.0)
    with pytest.raises(ValueError, match="error must be a finite error"):
        skill_score(float("nan"), 1.0)


def test_best_lag_exposes_a_forecast_that_is_the_truth_one_step_late():
    truth = np.cumsum(np.random.default_rng(1).normal(size=300))   # a random walk
    assert best_lag(truth[:-1], truth[1:]) == 1     # persistence: yesterday's value for today
    assert best_lag(truth[1:], truth[1:]) == 0      # a perfect forecast
    assert best_lag(truth[1:], truth[:-1]) == -1    # a forecast that knows tomorrow


@pytest.mark.parametrize("forecast, truth, message", [
    (np.arange(20.0), np.arange(21.0), "the same length"),
    (np.arange(8.0), np.arange(8.0), "longer than 2 \\* max_lag \\+ 2"),
    (np.ones(20), np.arange(20.0), "must vary"),
])
def test_best_lag_errors(forecast, truth, message):
    with pytest.raises(ValueError, match=message):
        best_lag(forecast, truth, max_lag=3)
