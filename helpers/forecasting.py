"""Honest forecasting: a chronological split, a scaler check, and the baselines to beat.

* :func:`chronological_split` cuts ``length`` timesteps into train, validation and test
  parts, in time order, and refuses a part that would be empty.
* :func:`check_fitted_on` raises if a scaler's statistics are not those of the training part
  (a scaler fitted on all the data leaks the test part into training).
* :func:`persistence` and :func:`seasonal_naive` are the naive forecasts: the last value
  seen, and the value one season earlier. :func:`skill_score` compares a model with one.
* :func:`best_lag` finds the shift at which a forecast matches the truth best: a "forecast"
  that is the truth delayed by one step has its best lag at 1, not 0.

NumPy only; importing this module is cheap.

Source: R. J. Hyndman & G. Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed.),
sections 5.2 (simple forecasting methods), 5.8 (evaluating point forecast accuracy) and
5.10 (time series cross-validation).
"""

from __future__ import annotations

import numpy as np

from helpers.checks import fraction, positive_int

__all__ = ["best_lag", "check_fitted_on", "chronological_split", "persistence",
           "seasonal_naive", "skill_score"]


def _finite_series(name: str, series) -> np.ndarray:
    arr = np.asarray(series, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per timestep); got shape {arr.shape}. "
                         "Pass one column, e.g. series[:, 0].")
    if not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr))
        raise ValueError(f"{name} holds {bad.size} NaN or infinite values (first at index "
                         f"{bad[0]}). Fill or drop them before forecasting, e.g. with "
                         "pandas' interpolate().")
    return arr


def chronological_split(length: int, *, validation: float, test: float,
                        ) -> tuple[slice, slice, slice]:
    """Cut ``length`` timesteps into train, validation and test parts, in that time order.

    The parts do not overlap and together cover every timestep: train is the oldest
    ``1 - validation - test`` of the series, test the newest ``test``. Shuffling before
    splitting would put future timesteps into training; this never does.

    Args:
        length: number of timesteps in the series (>= 3).
        validation: fraction of the timesteps for validation, in (0, 1).
        test: fraction for the test part, in (0, 1); ``validation + test < 1``.

    Returns:
        ``(train, validation, test)`` as slices, e.g. ``series[train]``.

    Raises:
        ValueError: ``length`` is not an integer >= 3; a fraction is outside (0, 1); the
            fractions sum to 1 or more; or a part would be empty.
    """
    length = positive_int("length", length, "Pass len(series).")
    validation = fraction("validation", validation, "Pass e.g. validation=0.15.")
    test = fraction("test", test, "Pass e.g. test=0.15.")
    if validation + test >= 1:
        raise ValueError(f"validation + test must be below 1 to leave a training part; got "
                         f"{validation} + {test} = {validation + test}. Pass smaller fractions.")
    validation_start = round(length * (1 - validation - test))
    test_start = round(length * (1 - test))
    sizes = {"train": validation_start, "validation": test_start - validation_start,
             "test": length - test_start}
    empty = [name for name, size in sizes.items() if size < 1]
    if empty:
        raise ValueError(f"length={length} with validation={validation} and test={test} "
                         f"leaves the {' and '.join(empty)} part empty (sizes {sizes}). "
                         "Use a longer series or larger fractions.")
    return slice(0, validation_start), slice(validation_start, test_start), slice(test_start,
                                                                                  length)


def check_fitted_on(scaler, train, *, rtol: float = 1e-6) -> None:
    """Raise unless ``scaler`` (scikit-learn's ``StandardScaler`` or ``MinMaxScaler``) was
    fitted on exactly ``train``: its stored statistics must be ``train``'s own.

    Args:
        scaler: a fitted ``StandardScaler`` (``mean_``, ``scale_``) or ``MinMaxScaler``
            (``data_min_``, ``data_max_``).
        train: the training part, shape ``(timesteps, features)`` or ``(timesteps,)``.
        rtol: relative tolerance of the comparison.

    Raises:
        ValueError: the statistics differ (the scaler saw other data, e.g. the test part);
            ``train`` holds NaN.
        TypeError: ``scaler`` is not fitted, or is a kind this check does not know.

    Source: scikit-learn docs, "Common pitfalls and recommended practices: data leakage".
    """
    arr = np.asarray(train, dtype=float)
    arr = arr[:, np.newaxis] if arr.ndim == 1 else arr
    if not np.all(np.isfinite(arr)):
        raise ValueError("train holds NaN or infinity: fill it before scaling.")
    if hasattr(scaler, "mean_") and hasattr(scaler, "scale_"):
        expected = {"mean_": arr.mean(axis=0), "scale_": arr.std(axis=0)}
    elif hasattr(scaler, "data_min_") and hasattr(scaler, "data_max_"):
        expected = {"data_min_": arr.min(axis=0), "data_max_": arr.max(axis=0)}
    else:
        raise TypeError(f"scaler must be a fitted StandardScaler or MinMaxScaler; got "
                        f"{type(scaler).__name__} without their fitted statistics. Call "
                        "scaler.fit(train) first.")
    for attribute, value in expected.items():
        stored = np.asarray(getattr(scaler, attribute), dtype=float)
        if stored.shape != value.shape or not np.allclose(stored, value, rtol=rtol, atol=0):
            raise ValueError(f"scaler was not fitted on train alone: its {attribute} is "
                             f"{np.round(stored, 4).tolist()}, train's is "
                             f"{np.round(value, 4).tolist()}. Fit it with scaler.fit(train) "
                             "so that no validation or test value leaks into training.")


def _targets(series: np.ndarray, target_index, back: int, what: str) -> np.ndarray:
    index = np.asarray(target_index)
    if not np.issubdtype(index.dtype, np.integer):
        raise ValueError(f"target_index must be integers (positions in series); got dtype "
                         f"{index.dtype}.")
    if index.size and (index.min() - back < 0 or index.max() >= len(series)):
        raise ValueError(f"target_index must lie in [{back}, {len(series) - 1}] for {what} "
                         f"on a series of {len(series)} values; got {index.min()} to "
                         f"{index.max()}. Drop the first {back} targets.")
    return series[index - back]


def persistence(series, target_index, horizon: int = 1) -> np.ndarray:
    """The persistence (last value) forecast: the value seen ``horizon`` steps before each
    target, the most recent one known when the forecast is made.

    Args:
        series: 1-D array of observed values, no NaN.
        target_index: integer positions in ``series`` to forecast.
        horizon: how many steps ahead the forecast is made (>= 1).

    Returns:
        ``series[target_index - horizon]``, in the series' units.

    Raises:
        ValueError: ``series`` is not 1-D or holds NaN; ``horizon`` is not a positive
            integer; a target has no value ``horizon`` steps before it, or lies beyond the
            series.

    Source: Hyndman & Athanasopoulos, FPP3 section 5.2, "Naïve method".
    """
    arr = _finite_series("series", series)
    horizon = positive_int("horizon", horizon, "Pass e.g. horizon=1 for one step ahead.")
    return _targets(arr, target_index, horizon, f"persistence at horizon {horizon}")


def seasonal_naive(series, target_index, period: int, horizon: int = 1) -> np.ndarray:
    """The seasonal naive forecast: the value one season before each target (the same month
    last year, for monthly data with ``period=12``). When ``horizon`` exceeds ``period``, it
    goes back as many whole seasons as needed to reach a value known at forecast time.

    Args:
        series: 1-D array of observed values, no NaN.
        target_index: integer positions in ``series`` to forecast.
        period: the season's length in timesteps (12 for monthly data, 365 for daily).
        horizon: how many steps ahead the forecast is made (>= 1).

    Returns:
        ``series[target_index - k * period]`` with the smallest ``k`` such that
        ``k * period >= horizon``.

    Raises:
        ValueError: bad ``series``, ``period`` or ``horizon``; a target has no value that
            many steps before it.

    Source: Hyndman & Athanasopoulos, FPP3 section 5.2, "Seasonal naïve method".
    """
    arr = _finite_series("series", series)
    period = positive_int("period", period, "Pass the season's length, e.g. period=12.")
    horizon = positive_int("horizon", horizon, "Pass e.g. horizon=1 for one step ahead.")
    back = period * -(-horizon // period)
    return _targets(arr, target_index, back, f"a seasonal naive forecast of period {period}")


def skill_score(error, reference_error) -> float:
    """``1 - error / reference_error``: 0 means no better than the reference forecast
    (persistence, usually), 1 a perfect forecast, below 0 worse than the reference.

    Raises:
        ValueError: an error is negative or not finite, or ``reference_error`` is 0 (the
            reference is already perfect: no skill can be measured against it).

    Source: Hyndman & Athanasopoulos, FPP3 section 5.9, "Skill scores".
    """
    error, reference_error = float(error), float(reference_error)
    for name, value in (("error", error), ("reference_error", reference_error)):
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite error >= 0 (an MAE or RMSE); got "
                             f"{value}.")
    if reference_error == 0:
        raise ValueError("reference_error is 0: the reference forecast is perfect, so a skill "
                         "score against it is undefined. Compare with another reference.")
    return 1 - error / reference_error


def best_lag(forecast, truth, max_lag: int = 5) -> int:
    """The shift ``k`` in ``-max_lag .. max_lag`` at which ``forecast[t]`` correlates best with
    ``truth[t - k]``. An honest one-step forecast peaks at ``k = 0``; a forecast that copies
    the last value peaks at ``k = 1``: it is the truth, one step late.

    Args:
        forecast, truth: 1-D arrays of the same length, no NaN, longer than ``2 * max_lag + 2``.
        max_lag: the largest shift tried (>= 1).

    Returns:
        The best shift, an int.

    Raises:
        ValueError: shapes differ, NaN, a constant array, or too short for ``max_lag``.
    """
    forecast = _finite_series("forecast", forecast)
    truth = _finite_series("truth", truth)
    max_lag = positive_int("max_lag", max_lag, "Pass e.g. max_lag=5.")
    if forecast.shape != truth.shape:
        raise ValueError(f"forecast and truth must have the same length; got {len(forecast)} "
                         f"and {len(truth)}.")
    if len(truth) <= 2 * max_lag + 2:
        raise ValueError(f"forecast and truth must be longer than 2 * max_lag + 2 = "
                         f"{2 * max_lag + 2}; got {len(truth)}. Pass a smaller max_lag.")
    if forecast.std() == 0 or truth.std() == 0:
        raise ValueError("forecast and truth must vary: a constant array has no correlation.")
    n = len(truth)

    def correlation(k: int) -> float:
        a = forecast[max(k, 0): n + min(k, 0)]
        b = truth[max(-k, 0): n - max(k, 0)]
        return float(np.corrcoef(a, b)[0, 1])

    return max(range(-max_lag, max_lag + 1), key=correlation)
