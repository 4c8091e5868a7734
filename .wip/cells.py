# ruff: noqa
# Draft cells of notebook 11 (md() and code() come from build.py).
md("""
# 11 · Inside a trained LSTM: cells that track strings, brackets and indentation
""")
md(f"""
[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({URL})

**Questions this notebook answers**

1. What have the cells of a character LSTM learned? Are any of them readable on their own?
2. How do you find such a cell without reading hundreds of activation traces by eye?
3. Does a cell switch on inside a string literal, count brackets, follow the indentation?
4. How often are the gates fully open or fully shut, and does that differ by gate?
5. Is an LSTM better than an n-gram model on code, and where exactly: which characters,
   and at what distance from the bracket it must close?
6. How do I run the same analysis on a model I trained myself with `charlm`?

Karpathy, Johnson and Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks",
asked these questions of LSTMs trained on Linux's C source and on *War and Peace*. This
notebook asks them of Python source, offline, on a model small enough for a laptop.
""")
code(setup_cell)
code('''
import time
import subprocess
import tempfile
from importlib.resources import files as package_files
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from helpers import CharVocab
from helpers.charlm import CharLMConfig
from helpers.charlm import train as charlm_train
from helpers.interpret import (
    analyze_charlm,
    best_units,
    colored_html,
    gate_saturation,
    lstm_states,
    plot_colored_text,
    unit_correlations,
)
from helpers.language_model import load_npz
from helpers.ngram import KneserNey
from helpers.source_code import (
    CHAR_CLASSES,
    CORPUS,
    VALIDATE_EVERY,
    char_classes,
    closing_distances,
    corpus_features,
    corpus_sha256,
    package_sources,
    split_files,
)

CORPUS_SHA256 = "f52ad599f3b3c8de2c7d17aade02e5da3df05fd6693084d676120f054c890851"
MODEL_FILE = package_files("helpers") / "models" / "python_code_lstm.npz"
MODEL_SHA256 = "3f50a62c10ca5bfeb047f641866ed50fc35741aa419875aa4addfa28069fa8df"
ORDERS = [1, 2, 3, 4, 5]                 # n-gram baselines
ANALYSIS_CHARS = 40_000                  # validation characters whose states are analysed
OWN_UNITS = 64 if QUICK else 256         # the model this notebook trains itself (section 7)
OWN_STEPS = 200 if QUICK else 600
OWN_TIMESTEPS, OWN_BATCH_SIZE = 100, 64
print(f"own model: {OWN_UNITS} units, {OWN_STEPS} steps of {OWN_BATCH_SIZE} x {OWN_TIMESTEPS}")
''')

md("""
## 1. The corpus: pytest's own source code

Real code, the same on every machine: the `.py` files of the `_pytest` package from the
**pytest 9.2.0** wheel, the version `requirements.txt` pins for running this course's
tests. Why not Python's standard library, which every install has? It changes with every
Python patch release (3.12.1 and 3.12.8 differ), and then every stored number below would
change with it. A pinned package changes only when its pin does. pytest is pure Python,
hand-written, with docstrings, comments, f-strings and deep nesting: all that the features
below look for.

The selection is fixed by a rule: every `.py` file under `_pytest/`, sorted by path, test
files left out (`helpers.source_code.is_test_file`: none of pytest's own code matches it).
Split **by file**: every 8th file validates, so no validation character has its own file in
training. Where another pytest is installed (Colab), the cell below fetches the 9.2.0 wheel
without installing it and reads the files from the zip; the hash proves it is the same text.
""")
code('''
try:
    source_files = package_sources(**CORPUS)
except ValueError:      # another pytest is installed (Colab): read the pinned wheel instead
    wheel_dir = Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d",
                    str(wheel_dir), f"{CORPUS['distribution']}=={CORPUS['version']}"],
                   check=True)
    source_files = package_sources(CORPUS["package"], wheel=next(wheel_dir.glob("*.whl")))
print(f"sha256 {corpus_sha256(source_files)}")
assert corpus_sha256(source_files) == CORPUS_SHA256, "not the corpus the outputs were made with"

train_files, val_files = split_files(source_files, VALIDATE_EVERY)
train_text = "".join(train_files[name] for name in sorted(train_files))
val_text = "".join(val_files[name] for name in sorted(val_files))
vocab = CharVocab("".join(source_files.values()))
train_ids, val_ids = vocab.encode(train_text), vocab.encode(val_text)
print(f"{len(source_files)} files, {sum(map(len, source_files.values())):,} characters, "
      f"{len(vocab)} distinct")
print(f"training:   {len(train_files)} files, {len(train_text):,} characters")
print(f"validation: {len(val_files)} files, {len(val_text):,} characters: "
      f"{', '.join(name.removeprefix('_pytest/') for name in val_files)}")
''')

md("""
## 2. Baselines: n-gram models with interpolated Kneser-Ney smoothing

Before any LSTM, what does counting do? An n-gram model predicts the next character from the
n − 1 before it. `helpers.ngram.KneserNey` is **interpolated Kneser-Ney** (Chen & Goodman
1998): counts discounted by one constant per order, D = n₁ / (n₁ + 2n₂), the freed mass
passed to the next-shorter context, lower orders built from *continuation* counts (how many
different characters precede a context, not how often it occurs), and a uniform floor so
that no character gets probability 0. Its probabilities sum to 1 in every context
(`tests/test_ngram.py`). Scores are nats per validation character; bits = nats / ln 2.
""")
code('''
ngram_nats = {}          # -log p of validation characters 1 .. n-1 (the LSTM's targets too)
for order in ORDERS:
    ngram_nats[order] = KneserNey(order, len(vocab)).fit(train_ids).nats(val_ids)[1:]
table = pd.DataFrame({"model": [f"{n}-gram, Kneser-Ney" for n in ORDERS],
                      "nats/char": [ngram_nats[n].mean() for n in ORDERS]})
table["bits/char"] = table["nats/char"] / np.log(2)
print(table.round(3).to_string(index=False))
best_order = min(ORDERS, key=lambda n: ngram_nats[n].mean())
assert all(ngram_nats[a].mean() > ngram_nats[b].mean() for a, b in zip(ORDERS, ORDERS[1:]))
''')
md("""
Code is repetitive: each extra character of context helps, and the 5-gram is far ahead of
the unigram. The LSTM has to beat the best of these to have learned anything counting
cannot.
""")

md("""
## 3. The model: trained once, committed with its hash

Interpretable cells need a well-trained model: a cell that tracks strings emerges only once
the model has learned to predict inside and outside them differently. Training one takes
about 20 minutes on this CPU, more than a notebook may take, so it was trained once by a
script in this repository, with a fixed seed, and its weights are committed as a plain
NumPy file (`helpers/models/python_code_lstm.npz`, 1.5 MB: no Keras version inside, so any
later Keras reads it):

    python tools/train_code_model.py      # 256 units, Adam, about 20 minutes on 2 CPU cores

`load_npz` checks the file's sha256 before building the model. Every result about this
model (sections 3 to 5) is fixed: the seed sweep cannot change it. Section 6 trains a
smaller model here, whose results do move with the seed.
""")
code('''
code_model, model_chars, model_meta = load_npz(MODEL_FILE, sha256=MODEL_SHA256)
assert model_chars == vocab.chars, "the model was trained on another vocabulary"
for key in ("command", "corpus", "epochs", "val_loss"):
    print(f"{key}: {model_meta[key]}")
code_model.summary(line_length=80)
''')
md("""
`helpers.interpret.lstm_states` runs the model's LSTM over the validation text with the
NumPy LSTM of notebook 02 (`helpers.numpy_rnn.lstm_forward`), which keeps what Keras does
not return: `c` and every gate at every step. The text is cut into rows of 1,000 characters
processed side by side, each row first reading the 200 characters before it, so its state
is warm. Before trusting it, a check against Keras's own layer on one row:
""")
code('''
states = lstm_states(code_model, val_ids[:ANALYSIS_CHARS])
row = val_ids[:1000][None]
keras_h = np.asarray(code_model.get_layer("lstm_1")(code_model.get_layer("embedding")(row)))[0]
difference = np.abs(keras_h - states.h[:1000]).max()
print(f"NumPy h vs Keras h over the first 1,000 characters: max |difference| < "
      f"{10 ** np.ceil(np.log10(difference)):.0e}")
assert difference < 1e-4
# the loss only (no states kept), predicting characters 1 .. n-1 as the n-grams above
lstm_nats = lstm_states(code_model, val_ids, keep="").nats[:-1]
table.loc[len(table)] = ["LSTM, 256 units (committed)", lstm_nats.mean(),
                         lstm_nats.mean() / np.log(2)]
print(table.round(3).to_string(index=False))
assert lstm_nats.mean() < ngram_nats[best_order].mean() - 0.05
''')

md("""
## 4. Finding interpretable cells automatically

Reading 512 activation traces by eye is how such cells were first found. A search is faster
and does not pick what it hoped to see: compute, for every character, features a person
would name (`helpers.source_code.python_features`, from Python's own tokenizer), and
correlate each with every unit's `h` and `tanh(c)` (the cell state as the output gate sees
it, in [−1, 1]): Pearson's r over 40,000 validation characters. The features describe the
text *up to and including* the character just read, which is what the state can know:

| feature | meaning |
|---|---|
| `in_string` | inside a string literal, from its opening quote to before its closing one (f-strings whole) |
| `in_triple_quoted` | the same, for `\"\"\"` and `'''` strings (docstrings, mostly) |
| `in_comment` | from `#` to the end of the line |
| `bracket_depth` | `( [ {` open, outside strings and comments |
| `indent` | width of the line's leading whitespace |
| `in_indentation` | inside that leading whitespace |
| `column` | characters before this one on its line |
| `to_line_end` | characters after this one before the newline (the future: a cell can only predict it) |
| `in_word`, `word_position` | inside an identifier or word, and how far into it |
""")
code('''
val_features = {name: values[:ANALYSIS_CHARS]
                for name, values in corpus_features(val_files).items()}
unit_states = {"h": states.h, "tanh(c)": np.tanh(states.c)}
correlations = unit_correlations(unit_states, val_features)
best = pd.DataFrame(best_units(correlations)).set_index("feature")
print(best.round(3).to_string())
strong = best[best.r.abs() > 0.8]
print(f"|r| > 0.8: {', '.join(strong.index)}")
assert "in_indentation" in strong.index
assert abs(best.r["in_string"]) < 0.7
''')
md("""
One unit stands out: `tanh(c)[158]` is low while the model reads a line's leading
whitespace and high elsewhere, r = −0.90 with `in_indentation`. The same unit is the best
for `in_word` (r = +0.69) simply because indentation is never a word. Nothing else passes
0.8 in this model. The best unit for `in_string` reaches r = 0.55 only, and the figure below
shows why: it is high inside docstrings and comments and low in code, a *prose* unit rather
than a quote unit. Karpathy et al.'s quote cell came from 3-layer, 512-unit models trained
for far longer; a 256-unit layer has not spent one unit on quotes.

Is the rest of the information missing from the state, or spread over many units? A linear
read-out of all 512 numbers (`h` and `tanh(c)`), fitted on the first half of the analysed
characters and scored on the second half (other files), answers that:
""")
code('''
from sklearn.linear_model import Ridge

all_units = np.concatenate([states.h, np.tanh(states.c)], axis=1)
half = ANALYSIS_CHARS // 2
probe_r = {}
for feature, values in val_features.items():
    fitted = Ridge(alpha=1.0).fit(all_units[:half], values[:half])
    probe_r[feature] = np.corrcoef(fitted.predict(all_units[half:]), values[half:])[0, 1]
best["all units (linear, held out)"] = pd.Series(probe_r)
print(best[["r", "all units (linear, held out)"]].round(2).to_string())
''')
md("""
All units together recover `in_indentation` (0.99) and `in_word` (0.98) almost exactly,
and `column` and `bracket_depth` to 0.8. `in_string` stays at 0.68 and `in_comment` at 0.30
even so: what this model knows about strings and comments is not a linear function of its
state, or is not there. The single-unit search and the probe answer different questions:
whether one cell *names* a feature, and whether the state *holds* it.
""")
code('''
def unit_values(feature):
    """The best unit for feature along the analysed text, signed so that + means 'on'."""
    row = best.loc[feature]
    return unit_states[row.state][:, int(row.unit)] * np.sign(row.r)


shown_at = val_text.index("\\ndef ", 3000) + 1
snippet = val_text[shown_at:shown_at + 1400].rsplit("\\n", 1)[0]
fig, axes = plt.subplots(2, 1, figsize=(11, 9))
for ax, feature in zip(axes, ("in_indentation", "in_string"), strict=True):
    row = best.loc[feature]
    plot_colored_text(ax, snippet, unit_values(feature)[shown_at:shown_at + len(snippet)],
                      vmax=1, fontsize=6.5)
    ax.set_title(f"{row.state}[{int(row.unit)}], the best unit for {feature} "
                 f"(r = {row.r:+.2f}), signed so that red = on")
save_fig("indentation_and_string_units")
plt.show()
''')
md("""
The string unit in HTML, on a longer stretch (scroll): red where it is high, blue where it
is low. Any unit can be shown this way with `colored_html(text, values)`.
""")
code('''
html_at = val_text.index("\\n", 12_000) + 1
html_text = val_text[html_at:html_at + 2500]
html_values = unit_values("in_string")[html_at:html_at + len(html_text)]
display(HTML(f"<div style='max-height:360px;overflow:auto'>"
             f"{colored_html(html_text, html_values, vmax=1)}</div>"))
''')

md("""
## 5. Gate saturation

A gate is *left-saturated* when it is below 0.1 (shut) and *right-saturated* above 0.9
(open). Karpathy et al. plot, for every unit, the fraction of characters its gate spends in
each (their figure 4): a unit in the top left corner keeps the gate open almost always, one
near the diagonal switches between the two extremes.
""")
code('''
saturation = gate_saturation({"forget f": states.f, "input i": states.i, "output o": states.o})
fig, axes = plt.subplots(1, 3, figsize=(11, 3.8), sharex=True, sharey=True)
for ax, (gate, (below, above)) in zip(axes, saturation.items(), strict=True):
    ax.scatter(below, above, s=10, alpha=0.6)
    ax.plot([0, 1], [1, 0], color="grey", lw=0.8)
    ax.set(title=f"{gate} gate", xlabel="fraction of steps < 0.1", xlim=(0, 1), ylim=(0, 1))
axes[0].set_ylabel("fraction of steps > 0.9")
save_fig("gate_saturation")
plt.show()
gate_table = pd.DataFrame({gate: {"median fraction < 0.1": np.median(below),
                                  "median fraction > 0.9": np.median(above),
                                  "units open > 90 % of steps": int(np.sum(above > 0.9)),
                                  "units shut > 90 % of steps": int(np.sum(below > 0.9))}
                           for gate, (below, above) in saturation.items()})
print(gate_table.round(3).to_string())
forget_below, forget_above = saturation["forget f"]
assert (forget_below < 0.9).all() and (forget_above > 0.9).any()
assert np.median(saturation["output o"][0]) > np.median(saturation["input i"][0])
''')
md("""
Every dot lies below the diagonal (the two fractions cannot add up to more than 1). No
unit keeps any gate shut for 90 % of the steps; 5 units keep the forget gate open for more
than 90 % of them: those cells integrate over long stretches, as the paper's right-saturated
forget gates do. The input gates are the most open (median 80 % of steps above 0.9), the
output gates the most often shut (median 25 % of steps below 0.1): these cells write almost
everything and choose what to show.
""")

md("""
## 6. Where the LSTM beats the n-gram

Per character: the LSTM's loss minus the best n-gram's, on the same validation characters
(negative = the LSTM is better). First by the class of the character being predicted:
""")
code('''
gain = lstm_nats - ngram_nats[best_order]        # per character predicted: 1 .. n-1
predicted_class = char_classes(val_text)[1:]
by_class = pd.DataFrame({
    "class": CHAR_CLASSES,
    "characters": [int(np.sum(predicted_class == k)) for k in range(len(CHAR_CLASSES))],
    "LSTM nats": [lstm_nats[predicted_class == k].mean() for k in range(len(CHAR_CLASSES))],
    "n-gram nats": [ngram_nats[best_order][predicted_class == k].mean()
                    for k in range(len(CHAR_CLASSES))],
})
by_class["LSTM - n-gram"] = by_class["LSTM nats"] - by_class["n-gram nats"]
print(by_class.round(3).to_string(index=False))
most_gained = by_class.loc[by_class["LSTM - n-gram"].idxmin(), "class"]
assert (by_class["LSTM - n-gram"] < 0).all() and most_gained == "closing bracket"
''')
md("""
The LSTM is better on every class, by the least on letters and spaces (what a 5-gram
already predicts from the word so far) and by the most on closing brackets, then opening
brackets and quotes: characters decided by structure further back than 4 characters.

Then closing brackets only, by how far back their opening bracket is: an n-gram model sees
4 characters, so it cannot know that a bracket is open at all once the opening one is
further back than that; the LSTM can carry it.
""")
code('''
distance = closing_distances(val_text)[1:]
edges = [1, 5, 10, 20, 40, 80, 100_000]
bins = []
for low, high in zip(edges, edges[1:]):
    at = (distance >= low) & (distance < high)
    bins.append({"distance": f"{low}-{high - 1}" if high < 100_000 else f"{low}+",
                 "brackets": int(at.sum()), "LSTM - n-gram (nats)": gain[at].mean()})
by_distance = pd.DataFrame(bins)
print(by_distance.round(3).to_string(index=False))
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.bar(by_distance.distance, by_distance["LSTM - n-gram (nats)"])
ax.axhline(0, color="black", lw=0.8)
ax.set(xlabel="characters back to the opening bracket",
       ylabel="LSTM - 5-gram loss (nats)",
       title="Closing brackets: the LSTM's gain once the opening one is out of the 5-gram's view")
save_fig("brackets_by_distance")
plt.show()
near, far = gain[(distance >= 1) & (distance < 5)].mean(), by_distance.iloc[1:]
assert near > -0.5 and (far["LSTM - n-gram (nats)"] < -1.0).all()
''')
md("""
With its opening bracket 1–4 characters back, inside the 5-gram's own context, the n-gram
is almost as good (0.10 nats worse). From 5 characters on the n-gram no longer sees the
opening bracket and the LSTM is ahead by 1.3 to 2.1 nats at every distance measured, up to
80 characters and beyond: it carries "a bracket is open" across the whole argument list.
""")

md("""
## 7. Your own model: `analyze_charlm`

The same analysis runs on any model trained by `python -m helpers.charlm train`:

    python -m helpers.charlm train my_code.py --out runs/code --units 256

then, in Python,

    from helpers.interpret import analyze_charlm
    rows, states = analyze_charlm("runs/code", text)   # text: validation text, its characters

`rows` is the best-unit table above (feature, state, unit, r); `states` holds `h` and `c` for
`colored_html`. Python text gets the tokenizer's features, any other text the ones every
text has (`column`, `to_line_end`, `in_word`, `word_position`). Here it runs on a model
trained in this notebook with the command's own `train` function, on the training files,
for `OWN_STEPS` steps of 64 windows of 100 characters (at quick sizes 64 units and 200 steps,
about one pass over the training files): smaller and far shorter-trained than the committed
model. Its validation characters are those above, with the one character its training text
never had replaced by `?`.
""")
code('''
# NBVAL_IGNORE_OUTPUT
own_dir = Path(tempfile.mkdtemp()) / "own_model"
own_config = CharLMConfig(units=OWN_UNITS, timesteps=OWN_TIMESTEPS, batch_size=OWN_BATCH_SIZE,
                          epochs=1, steps_per_epoch=OWN_STEPS, val_fraction=0.02,
                          seed=env.seed)
started = time.perf_counter()
own_history = charlm_train(train_text, own_dir, own_config, verbose=0)
print(f"trained in {time.perf_counter() - started:.0f} s")
''')
code('''
own_chars = set(CharVocab(train_text).chars)   # validation-only characters become "?"
own_text = "".join(ch if ch in own_chars else "?" for ch in val_text)
print(f"characters replaced: {sum(ch not in own_chars for ch in val_text)}")
own_rows, own_states = analyze_charlm(own_dir, own_text, max_chars=ANALYSIS_CHARS)
own_best = pd.DataFrame(own_rows).set_index("feature")
side_by_side = pd.DataFrame({"committed, 256 units": best.r,
                             f"own, {OWN_UNITS} units, {OWN_STEPS} steps": own_best.r})
print(f"own model: {np.nanmean(own_states.nats):.3f} nats/char over the first "
      f"{ANALYSIS_CHARS:,} validation characters (committed model: "
      f"{lstm_nats[:ANALYSIS_CHARS - 1].mean():.3f})")
print("best r per feature:")
print(side_by_side.round(2).to_string())
assert abs(own_best.r["in_indentation"]) > 0.8 and abs(own_best.r["in_word"]) > 0.75
if QUICK:   # after one pass, no string unit yet (full size: see the note at the end)
    assert abs(own_best.r["in_string"]) < 0.4
''')
md("""
Trained for 20 seconds, this model predicts far worse than the committed one, and yet it
has an indentation unit as strong, and a word unit stronger: where the indentation ends and
where words start and stop are learned first. Its best units for strings, comments and
brackets stay weak. (The signs are its own: which way a unit points is arbitrary.) The seed
sweep re-draws this model; over seeds 0 to 5 its best `in_indentation` unit reached |r| =
0.91–0.93, its `in_word` unit 0.85–0.94 and its `in_string` unit at most 0.17.

## 8. Summary

- Corpus: pytest 9.2.0's own source, 1.43 M characters, split by file, its sha256 checked;
  from the installed package or, where another version is installed, from the pinned wheel.
- Interpolated Kneser-Ney n-grams: 3.14 nats/char for the unigram down to 1.23 for the
  5-gram; the committed 256-unit LSTM reaches 1.07.
- A correlation search over every unit and per-character features finds a clean
  indentation unit (r = −0.90), in this model and in one trained for 20 seconds. The best
  string unit (r = 0.55) turns out to track prose (docstrings and comments) against code;
  a linear read-out of all units recovers indentation and words almost exactly, strings
  and comments only partly.
- Gates: no gate of any unit is shut 90 % of the time; a few forget gates are open almost
  always (long memory); input gates are mostly open, output gates most often shut.
- The LSTM beats the 5-gram on every class of character, most on closing brackets: by 0.1
  nats when the opening bracket is within the 5-gram's view, by 1.3–2.1 nats beyond it.
- `analyze_charlm(run_folder, text)` runs the analysis on a model of your own.

**Full sizes** (`LSTM_QUICK=0`, measured once on this 2-core CPU, seed 0: 254 s). Sections 1
to 6 are the same at both sizes: they use the committed model. The model of section 7 has 256
units and 600 steps (3.8 M characters, 222 s here): 1.317 nats/char on the first 40,000
validation characters, and best units `in_indentation` 0.93, `in_word` 0.78, `in_string`
0.64, `in_triple_quoted` 0.56. Its string unit is stronger than the committed model's (0.55),
which trained seven times longer: a string unit can appear and then dissolve into many units
as training goes on. Whether that is what happened here is not measured.
""")
