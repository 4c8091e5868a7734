md("# 09 · Forecasting a real time series honestly: baselines first, no leakage")

md(f"""
[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({URL})

**Questions this notebook answers**

1. Is this series observed data, or something smoother that makes every model look good?
2. How do you split a time series and scale it without letting the test part leak in?
3. What do the simple forecasts score (yesterday's value, the same day last year, the mean,
   a linear model), and does an LSTM beat them, in °C?
4. How can a forecast that overlays the truth beautifully be worthless, and how do you check?
5. What does leakage look like, and what too-good number does it report?
6. Does one test year decide the verdict, or does it change with the period tested?
7. Seven days ahead: all at once (direct) or one day at a time, fed back (autoregressive)?
8. How wrong is the model, when, and how wide must an interval be to hold the truth 90 % of
   the time?
""")

code(setup_cell)

code("""
import subprocess

import tensorflow as tf

if "google.colab" in sys.modules:   # Seattle's weather ships inside vega_datasets' wheel
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "vega_datasets"], check=True)

from numpy.lib.stride_tricks import sliding_window_view
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from statsmodels.tsa.stattools import acf
from vega_datasets import data as vega_data

from helpers.forecasting import (
    best_lag,
    check_fitted_on,
    chronological_split,
    persistence,
    seasonal_naive,
    skill_score,
)
from helpers.training import restart_from

TIMESTEPS = 14                    # days of history in each input window
HORIZON = 7                       # days ahead, section 7
UNITS = 32
TRAINING_STEPS = 300 if QUICK else 1500
BATCH_SIZE = 64
SEEDS = 2 if QUICK else 5
VARIABLES = ["temp_max", "temp_min", "precipitation", "wind"]   # temp_max is the target
print(f"windows of {TIMESTEPS} days, {TRAINING_STEPS} steps of {BATCH_SIZE} per model")
""")

md("""
## 1. The data, and a check that it is observed

Seattle's daily weather, 2012 to 2015, from the `vega_datasets` wheel: maximum and minimum
temperature (°C), precipitation (mm) and wind (m/s). The task: tomorrow's maximum temperature.

`vega_datasets` also ships `seattle-temps`, hourly temperatures that look similar. They are
not observations but smooth climate normals (the typical value for each hour of the year), so
each day nearly repeats the one before and every model looks brilliant on them. The check: how
much does the daily value change from one day to the next?
""")

code("""
weather = vega_data.seattle_weather()
series = weather[VARIABLES].to_numpy("float64")
dates = weather["date"].to_numpy()
target = series[:, 0]
normals = vega_data.seattle_temps().set_index("date")["temp"].resample("D").mean().to_numpy()
normals_celsius = (normals - 32) * 5 / 9
day_change = np.abs(np.diff(target)).mean()
normals_change = np.abs(np.diff(normals_celsius)).mean()
print(f"seattle_weather: {len(series)} days, {str(dates[0])[:10]} to {str(dates[-1])[:10]}, "
      f"missing values: {int(np.isnan(series).sum())}")
print(f"mean day-to-day change of the daily maximum: {day_change:.2f} °C (observed); "
      f"of seattle-temps' daily mean: {normals_change:.2f} °C (climate normals)")
assert day_change > 5 * normals_change

fig, ax = plt.subplots(figsize=(10, 3))
ax.plot(dates[-365:], target[-365:], lw=0.8, label="seattle_weather temp_max, 2015 (observed)")
ax.plot(dates[-365:], normals_celsius[:365], lw=1.5, label="seattle-temps daily mean (normals)")
ax.set(ylabel="°C", title="Observations jump from day to day; normals do not")
ax.legend(fontsize=8)
save_fig("observed_vs_normals", fig)
plt.show()
""")

md("""
## 2. A chronological split, and a scaler fitted on the training part only

Oldest 55 % for training, the next 20 % for validation, the newest 25 % (about the whole of
2015) for testing. `helpers.chronological_split` never shuffles and refuses an empty part. The
scaler sees the training part only, and `check_fitted_on` asserts it.
""")

code("""
train, validation, test = chronological_split(len(series), validation=0.2, test=0.25)
for name, part in (("train", train), ("validation", validation), ("test", test)):
    print(f"{name:10s} {str(dates[part][0])[:10]} to {str(dates[part][-1])[:10]} "
          f"({part.stop - part.start} days)")
scaler = StandardScaler().fit(series[train])
check_fitted_on(scaler, series[train])
scaled = scaler.transform(series).astype("float32")


def to_celsius(values):
    \"\"\"Scaled temp_max back to °C.\"\"\"
    return values * scaler.scale_[0] + scaler.mean_[0]


def windows(days, horizon=1):
    \"\"\"Inputs: the TIMESTEPS days before each target day; targets: temp_max (scaled) on
    that day and the next horizon - 1.\"\"\"
    days = np.asarray(days)
    inputs = sliding_window_view(scaled, TIMESTEPS, axis=0).transpose(0, 2, 1)[days - TIMESTEPS]
    targets = sliding_window_view(scaled[:, 0], horizon)[days]
    return inputs, targets


first_day = TIMESTEPS                    # the first day with a full window before it
train_days = np.arange(first_day, train.stop)
validation_days = np.arange(validation.start, validation.stop)
test_days = np.arange(test.start, test.stop - HORIZON + 1)
x_train, y_train = windows(train_days)
x_validation, y_validation = windows(validation_days)
x_test, y_test = windows(test_days)
truth = target[test_days]
print("windows (samples, timesteps, features):", x_train.shape, x_validation.shape, x_test.shape)
reference = keras.utils.timeseries_dataset_from_array(
    scaled[:-1], scaled[TIMESTEPS:, 0], sequence_length=TIMESTEPS, batch_size=len(scaled))
keras_inputs, keras_targets = next(iter(reference))
np.testing.assert_allclose(x_train, keras_inputs.numpy()[train_days - TIMESTEPS])
np.testing.assert_allclose(y_train[:, 0], keras_targets.numpy()[train_days - TIMESTEPS])
print("windows equal keras.utils.timeseries_dataset_from_array's (assert_allclose)")
""")

md("""
## 3. Baselines first, in °C

- **persistence**: tomorrow = today (the last value seen);
- **seasonal naive**: tomorrow = the same day last year;
- **training mean**: the average maximum of the training years;
- **Ridge**: a linear model on the 14-day window of all four variables (scikit-learn).

Then two neural networks on the same windows: a `Dense` layer on the flattened window, and an
LSTM of 32 units. Every model predicts the scaled maximum; errors are in °C.
""")

code("""
def errors(forecast):
    \"\"\"MAE and RMSE in °C against the test days' true maximum.\"\"\"
    return {"MAE": np.mean(np.abs(forecast - truth)),
            "RMSE": np.sqrt(np.mean((forecast - truth) ** 2))}


ridge = Ridge(alpha=1.0).fit(x_train.reshape(len(x_train), -1), y_train[:, 0])
forecasts = {
    "persistence": persistence(target, test_days),
    "seasonal naive (365 days)": seasonal_naive(target, test_days, period=365),
    "training mean": np.full(len(test_days), target[train].mean()),
    "Ridge on the window": to_celsius(ridge.predict(x_test.reshape(len(x_test), -1))),
}


def train_model(model, inputs, targets, seed):
    \"\"\"TRAINING_STEPS on shuffled, repeated batches (the model is compiled); returns it.\"\"\"
    batches = (tf.data.Dataset.from_tensor_slices((inputs, targets))
               .shuffle(len(inputs), seed=seed).repeat().batch(BATCH_SIZE))
    model.fit(batches, steps_per_epoch=TRAINING_STEPS, epochs=1, shuffle=False, verbose=0)
    return model
""")

code("""
def compiled(model):
    \"\"\"Adam at 3e-3 on the mean squared error of the scaled target.\"\"\"
    model.compile(keras.optimizers.Adam(3e-3), "mse")
    return model


def one_step_lstm(seed, outputs=1):
    \"\"\"LSTM(UNITS) on a window, then `outputs` values: built from `seed`, compiled.\"\"\"
    keras.utils.set_random_seed(seed)
    return compiled(keras.Sequential([keras.Input((TIMESTEPS, len(VARIABLES))),
                                      keras.layers.LSTM(UNITS), keras.layers.Dense(outputs)]))


keras.utils.set_random_seed(env.seed + 1)
dense = compiled(keras.Sequential([keras.Input((TIMESTEPS, len(VARIABLES))),
                                   keras.layers.Flatten(),
                                   keras.layers.Dense(UNITS, activation="relu"),
                                   keras.layers.Dense(1)]))
train_model(dense, x_train, y_train, env.seed + 1)
forecasts["Dense on the window"] = to_celsius(dense.predict(x_test, verbose=0)[:, 0])
lstm_forecasts = []
for k in range(SEEDS):
    lstm = train_model(one_step_lstm(env.seed + 10 + k), x_train, y_train, env.seed + 10 + k)
    lstm_forecasts.append(to_celsius(lstm.predict(x_test, verbose=0)[:, 0]))
    forecasts[f"LSTM, init {k}"] = lstm_forecasts[-1]
table = {name: errors(forecast) for name, forecast in forecasts.items()}
best = min(table, key=lambda name: table[name]["MAE"])
print(f"{'test, 1 day ahead':28s}  MAE °C  RMSE °C")
for name, scores in table.items():
    mark = "   <- best" if name == best else ""
    print(f"{name:28s}  {scores['MAE']:6.2f}  {scores['RMSE']:7.2f}{mark}")
lstm_mae = [table[f"LSTM, init {k}"]["MAE"] for k in range(SEEDS)]
assert max(lstm_mae) < table["seasonal naive (365 days)"]["MAE"]
assert max(lstm_mae) < table["training mean"]["MAE"]
""")

md("""
## 4. The illusion: a forecast that is the truth, one day late

Plot a month of test days: the LSTM's forecast follows the truth closely. So does persistence,
which is the truth shifted by one day. The check that tells them apart: at which shift does the
forecast correlate best with the truth? An honest forecast peaks at 0; a copy of yesterday
peaks at 1. And the skill score against persistence, 1 − MAE / MAE(persistence): 0 means no
better than repeating yesterday.
""")

code("""
fig, ax = plt.subplots(figsize=(10, 3.2))
month = slice(150, 181)
ax.plot(dates[test_days][month], truth[month], "k-", lw=2, label="truth")
ax.plot(dates[test_days][month], forecasts["persistence"][month], "--", label="persistence")
ax.plot(dates[test_days][month], lstm_forecasts[0][month], label="LSTM, init 0")
ax.set(ylabel="°C", title="A month of test days: both forecasts 'follow' the truth")
ax.legend(fontsize=8)
save_fig("illusion", fig)
plt.show()
for name in ("persistence", "Ridge on the window", "LSTM, init 0"):
    lag = best_lag(forecasts[name], truth)
    skill = skill_score(table[name]["MAE"], table["persistence"]["MAE"])
    print(f"{name:22s} best lag {lag:+d} day(s); skill against persistence {skill:+.3f}")
assert best_lag(forecasts["persistence"], truth) == 1
""")

md("""
## 5. Leakage, and the too-good number it reports

A feature from the future, of a kind that slips in easily: a smoothed maximum temperature
(a centered 3-day moving average, computed over the whole series before splitting) as a fifth
input. Centered means that the value for day t averages days t − 1, t and t + 1, so the last
row of each window already contains a third of the target. Everything else is unchanged.
""")

code("""
smoothed = np.convolve(scaled[:, 0], np.ones(3) / 3, mode="same")   # centered: sees t + 1
leaky_series = np.column_stack([scaled, smoothed]).astype("float32")


def leaky_windows(days):
    \"\"\"The windows of section 2 with the centered moving average as a fifth feature.\"\"\"
    return sliding_window_view(leaky_series, TIMESTEPS, axis=0).transpose(0, 2, 1)[
        np.asarray(days) - TIMESTEPS]


keras.utils.set_random_seed(env.seed + 20)
leaky = compiled(keras.Sequential([keras.Input((TIMESTEPS, len(VARIABLES) + 1)),
                                   keras.layers.LSTM(UNITS), keras.layers.Dense(1)]))
train_model(leaky, leaky_windows(train_days), y_train, env.seed + 20)
leaky_mae = errors(to_celsius(leaky.predict(leaky_windows(test_days), verbose=0)[:, 0]))["MAE"]
print(f"LSTM with a feature from the future: test MAE {leaky_mae:.2f} °C "
      f"(honest LSTM {np.mean(lstm_mae):.2f})")
assert leaky_mae < min(lstm_mae) - 0.3
""")

md("""
## 6. More than one test period: rolling origin

One test year can flatter or sink a model. Rolling-origin evaluation trains on everything
before an origin and tests on the 90 days after it, for four origins through the test year
(the LSTM is retrained from the same initialization each time; `restart_from` keeps its
compiled step).
""")

code("""
origins = [test.start + 90 * k for k in range(4)]
rolling = {"persistence": [], "Ridge": [], "LSTM": []}
rolling_lstm = one_step_lstm(env.seed + 30)
for origin in origins:
    before, after = np.arange(first_day, origin), np.arange(origin, min(origin + 90, len(series)))
    x_before, y_before = windows(before)
    x_after, _ = windows(after)
    rolling["persistence"].append(np.mean(np.abs(persistence(target, after) - target[after])))
    fitted = Ridge(alpha=1.0).fit(x_before.reshape(len(x_before), -1), y_before[:, 0])
    rolling["Ridge"].append(np.mean(np.abs(
        to_celsius(fitted.predict(x_after.reshape(len(x_after), -1))) - target[after])))
    if origin != origins[0]:
        restart_from(rolling_lstm, one_step_lstm(env.seed + 30))
    train_model(rolling_lstm, x_before, y_before, env.seed + 30)
    rolling["LSTM"].append(np.mean(np.abs(
        to_celsius(rolling_lstm.predict(x_after, verbose=0)[:, 0]) - target[after])))
for name, maes in rolling.items():
    print(f"{name:12s} MAE °C per origin: " + "  ".join(f"{m:.2f}" for m in maes)
          + f"   (spread {max(maes) - min(maes):.2f})")
""")

md("""
## 7. Seven days ahead: direct or autoregressive

- **direct**: one LSTM with a `Dense(7)` head predicts all seven days at once;
- **autoregressive**: a one-step LSTM that predicts all four variables, whose prediction is
  appended to the window and fed back, seven times.

Against persistence (today's value for all seven days) and seasonal naive, MAE per horizon:
""")

code("""
x_train_7, y_train_7 = windows(train_days, HORIZON)
x_test_7, _ = windows(test_days, HORIZON)
truth_7 = sliding_window_view(target, HORIZON)[test_days]
direct = train_model(one_step_lstm(env.seed + 40, outputs=HORIZON), x_train_7, y_train_7,
                     env.seed + 40)
direct_7 = to_celsius(direct.predict(x_test_7, verbose=0))
stepper = train_model(one_step_lstm(env.seed + 41, outputs=len(VARIABLES)), x_train,
                      scaled[train_days], env.seed + 41)
window, steps = x_test_7.copy(), []
for _ in range(HORIZON):
    step = stepper.predict(window, verbose=0)
    steps.append(step[:, 0])
    window = np.concatenate([window[:, 1:], step[:, np.newaxis]], axis=1)
autoregressive_7 = to_celsius(np.stack(steps, axis=1))
by_horizon = {
    "persistence": np.abs(target[test_days - 1, np.newaxis] - truth_7).mean(axis=0),
    "seasonal naive": np.abs(sliding_window_view(target, HORIZON)[test_days - 365] - truth_7
                             ).mean(axis=0),
    "LSTM direct": np.abs(direct_7 - truth_7).mean(axis=0),
    "LSTM autoregressive": np.abs(autoregressive_7 - truth_7).mean(axis=0),
}
for name, maes in by_horizon.items():
    print(f"{name:20s} " + " ".join(f"{m:5.2f}" for m in maes))
fig, ax = plt.subplots(figsize=(7, 3.4))
for name, maes in by_horizon.items():
    ax.plot(range(1, HORIZON + 1), maes, "o-", label=name)
ax.set(xlabel="days ahead", ylabel="test MAE (°C)", title="Error grows with the horizon")
ax.legend(fontsize=8)
save_fig("horizons", fig)
plt.show()
""")

md("""
## 8. Residuals and an interval

The residuals of the one-step LSTM over the test year, their autocorrelation, and a 90 %
interval taken from the *validation* residuals' 5 % and 95 % quantiles: on the test days, how
often does it hold the truth?
""")

code("""
residuals = truth - lstm_forecasts[-1]            # the last LSTM trained in section 3
validation_forecast = to_celsius(lstm.predict(x_validation, verbose=0)[:, 0])
low, high = np.quantile(target[validation_days] - validation_forecast, [0.05, 0.95])
covered = np.mean((truth >= lstm_forecasts[-1] + low) & (truth <= lstm_forecasts[-1] + high))
autocorrelation = acf(residuals, nlags=10)
print(f"90 % interval from validation residuals: [{low:+.1f}, {high:+.1f}] °C around the forecast;"
      f" it held the truth on {covered:.1%} of the test days")
print("residual autocorrelation, lags 1-3:", np.round(autocorrelation[1:4], 2).tolist())
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2), width_ratios=(2, 1))
left.plot(dates[test_days], residuals, lw=0.7)
left.axhline(0, color="k", lw=0.5)
left.set(ylabel="truth − forecast (°C)", title="Residuals over the test year")
right.bar(range(11), autocorrelation)
right.set(xlabel="lag (days)", title="Residual autocorrelation")
save_fig("residuals", fig)
plt.show()
assert 0.8 < covered < 0.97
""")
