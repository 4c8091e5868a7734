md("# 10 · The same LSTM in Keras and PyTorch: weights ported both ways, outputs identical")

md(f"""
[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({URL})

**Questions this notebook answers**

1. How does each framework store an LSTM's weights, and how do you move them, both ways?
2. Given the same weights, are the outputs really the same?
3. What does `torch.nn.LSTM` return (`output, (h_n, c_n)`), and how does it map onto Keras's
   `return_sequences` and `return_state`?
4. Why does `batch.view(timesteps, batch_size, features)` silently scramble sequences, and
   what is the fix?
5. Must a torch LSTM's input be 3-D?
6. Stacked and bidirectional layers, the GRU: where do the layouts differ?
7. Variable lengths: `pack_padded_sequence` against a Keras mask.
8. Dropout between stacked layers: torch's `dropout=` against Keras's arguments.
9. A whole model, ported through files; and the same model trained in each framework.
""")

code(setup_cell)

code("""
import tempfile
import time
import warnings
from pathlib import Path

try:
    import torch
except ImportError:    # Colab has torch; elsewhere: pip install torch (a CPU build is ~700 MB)
    raise ImportError("This notebook needs PyTorch: run  pip install torch  (or, from a clone, "
                      "pip install -e '.[torch]'), then restart the kernel.") from None
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from helpers import CharVocab, load_shakespeare
from helpers.language_model import build_model
from helpers.language_model import windows as next_char_windows
from helpers.optim import DenseGradientAdam
from helpers.torch_port import (
    keras_file_to_state_dict,
    keras_layers_for,
    keras_to_torch,
    language_model_to_torch,
    state_dict_file_to_keras,
    torch_language_model,
    torch_rnn_for,
)

torch.manual_seed(env.seed)
TOLERANCE = 1e-5                      # float32: outputs must agree to this (absolute)
FEATURES, UNITS, TIMESTEPS, BATCH_SIZE = 5, 3, 10, 4
TEXT_UNITS = 128 if QUICK else 256
TEXT_STEPS = 250 if QUICK else 2000
TEXT_TIMESTEPS, TEXT_BATCH_SIZE = 64, 32
print(f"PyTorch {torch.__version__}; {torch.get_num_threads()} torch threads")
""")

md("""
## 1. The weights, side by side

A Keras `LSTM(3)` on 5 features and a `torch.nn.LSTM(5, 3)`. Both hold the four gates' weights
in one matrix each; Keras stores them as (inputs, outputs), torch as (outputs, inputs). The
gate order is the same (input, forget, cell candidate, output), and torch keeps two bias
vectors where Keras keeps one: they are only ever added.
""")

code("""
keras_lstm = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
keras_lstm.build((None, None, FEATURES))
torch_lstm = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
print("Keras  ", {w.path.split("/")[-1]: tuple(w.shape) for w in keras_lstm.weights})
print("PyTorch", {name: tuple(p.shape) for name, p in torch_lstm.named_parameters()})
""")

md("""
## 2. Port Keras → PyTorch, and the outputs are the same

`helpers.torch_port.keras_to_torch` transposes the two matrices and puts Keras's bias on
torch's input side (the recurrent bias becomes zero). Then the same batch goes through both.
""")

code("""
def max_difference(a, b):
    \"\"\"The largest absolute difference between two arrays or tensors.\"\"\"
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def shown(difference):
    \"\"\"A difference as printed: its bound when it is float32 round-off (the exact value
    depends on the CPU's kernels), else the number.\"\"\"
    return "< 1e-6" if difference < 1e-6 else f"{difference:.3f}"


rng = np.random.default_rng(env.seed)
x = rng.normal(size=(BATCH_SIZE, TIMESTEPS, FEATURES)).astype("float32")
keras_to_torch(keras_lstm, torch_lstm)
keras_output, keras_h, keras_c = keras_lstm(x)
with torch.no_grad():
    torch_output, (h_n, c_n) = torch_lstm(torch.from_numpy(x))
differences = {"output": max_difference(keras_output, torch_output),
               "h": max_difference(keras_h, h_n[0]), "c": max_difference(keras_c, c_n[0])}
print("Keras -> torch, largest difference:", {k: shown(v) for k, v in differences.items()})
assert max(differences.values()) < TOLERANCE
""")

md("""
And the other way: a torch LSTM with its own random initialization, copied into new Keras
layers by `keras_layers_for` (which builds them to the module's sizes). Keras's one bias is
torch's `bias_ih + bias_hh`.
""")

code("""
torch_original = torch.nn.LSTM(FEATURES, UNITS, batch_first=True)
(keras_copy,) = keras_layers_for(torch_original, return_state=True)
keras_output, keras_h, keras_c = keras_copy(x)
with torch.no_grad():
    torch_output, (h_n, c_n) = torch_original(torch.from_numpy(x))
    summed_bias = (torch_original.bias_ih_l0 + torch_original.bias_hh_l0).numpy()
differences = {"output": max_difference(keras_output, torch_output),
               "h": max_difference(keras_h, h_n[0]), "c": max_difference(keras_c, c_n[0]),
               "bias": max_difference(keras_copy.get_weights()[2], summed_bias)}
print("torch -> Keras, largest difference:", {k: shown(v) for k, v in differences.items()})
assert max(differences.values()) < TOLERANCE
""")

md("""
## 3. What each returns

torch always returns two things: `output`, the top layer's `h` at every timestep, and the pair
`(h_n, c_n)`, the final states of **every layer and direction**, shaped (num_layers ·
directions, batch, units). Keras returns what you ask for: the last `h` alone (the default),
every `h` with `return_sequences=True`, and the final `h` and `c` too with
`return_state=True`. Writing `hs, _ = lstm(x)` in torch keeps the outputs and throws the final
states away, which is fine only if you never need them.
""")

code("""
stacked = torch.nn.LSTM(FEATURES, UNITS, num_layers=2, bidirectional=True, batch_first=True)
with torch.no_grad():
    output, (h_n, c_n) = stacked(torch.from_numpy(x))
print(f"torch, 2 layers, bidirectional: output {tuple(output.shape)}, h_n {tuple(h_n.shape)}, "
      f"c_n {tuple(c_n.shape)}")
by_layer = h_n.view(2, 2, BATCH_SIZE, UNITS)          # (layers, directions, batch, units)
assert torch.equal(output[:, -1, :UNITS], by_layer[-1, 0])   # forward: its last timestep
assert torch.equal(output[:, 0, UNITS:], by_layer[-1, 1])    # backward: ends at timestep 0
shapes = {}
for options in ({}, {"return_sequences": True}, {"return_state": True},
                {"return_sequences": True, "return_state": True}):
    result = keras.layers.LSTM(UNITS, **options)(x)
    result = result if isinstance(result, (list, tuple)) else [result]
    shapes[str(options) if options else "default"] = [tuple(r.shape) for r in result]
for options, shape in shapes.items():
    print(f"Keras LSTM {options:52s} -> {shape}")
""")

md("""
The backward direction's final state belongs to timestep 0 (it reads the sequence from the
end), so in a bidirectional torch layer `output[:, -1]` is *not* `h_n` for both halves: the
asserts above pick the right timestep for each. `h_n.view(num_layers, directions, batch,
units)` is the documented way to split it.

## 4. The layout trap: `view` is not `transpose`

`nn.LSTM` defaults to time-major input, (timesteps, batch, features). A batch prepared
batch-major, (batch, timesteps, features), must be transposed. `view(10, 4, 5)` gives the
right shape but re-reads the same memory in order, so each "sequence" is now made of pieces of
different ones, and nothing fails.
""")

code("""
time_major = torch.nn.LSTM(FEATURES, UNITS)              # torch's default: batch_first=False
batch_major = torch.from_numpy(x)                        # (batch, timesteps, features)
with torch.no_grad():
    wrong, _ = time_major(batch_major.view(TIMESTEPS, BATCH_SIZE, FEATURES))
    right, _ = time_major(batch_major.transpose(0, 1))   # or .permute(1, 0, 2)
    first = batch_major[0]                               # the first sequence, alone
    alone, _ = time_major(first.unsqueeze(1))            # (timesteps, 1, features)
print("view:      first sequence's outputs differ from running it alone by",
      f"{max_difference(wrong[:, 0], alone[:, 0]):.3f}")
print("transpose: they differ by", shown(max_difference(right[:, 0], alone[:, 0])))
assert max_difference(right[:, 0], alone[:, 0]) < TOLERANCE
assert max_difference(wrong[:, 0], alone[:, 0]) > 0.01
assert not torch.equal(batch_major.view(TIMESTEPS, BATCH_SIZE, FEATURES)[:, 0], first)
""")

md("""
The fix most code uses: `batch_first=True`, which takes Keras's layout directly (the weights are
the same; only the input's axes differ). Every torch module in the rest of this notebook uses
it.

## 5. Unbatched input: torch accepts 2-D, Keras does not

Older tutorials say a torch LSTM's input must be 3-D. Since PyTorch 1.11 a 2-D input is
treated as one unbatched sequence, (timesteps, features), and `h_n` loses its batch axis.
Keras still wants the batch axis.
""")

code("""
single = torch.from_numpy(x[0])                           # (timesteps, features)
with torch.no_grad():
    output, (h_n, c_n) = torch_lstm(single)
    batched, (h_batched, _) = torch_lstm(single.unsqueeze(0))
print(f"torch, 2-D input {tuple(single.shape)}: output {tuple(output.shape)}, "
      f"h_n {tuple(h_n.shape)}")
assert torch.allclose(output, batched[0]) and torch.allclose(h_n, h_batched[:, 0])
try:
    keras_lstm(x[0])
except ValueError as error:
    print("Keras, 2-D input:", str(error).split(". Full shape")[0])
print("Keras, x[0][np.newaxis]:", [tuple(r.shape) for r in keras_lstm(x[0][np.newaxis])])
""")

md("""
## 6. Stacked, bidirectional, and the GRU

A stack of two `Bidirectional(LSTM)` layers in Keras is one torch module with `num_layers=2,
bidirectional=True`; torch's second layer takes the 2 · units concatenated outputs of the first,
as Keras's does. For the GRU, Keras's default `reset_after=True` is torch's formula, but the
gates are stored z, r, h in Keras and r, z, n in torch, and Keras's two biases are one (2,
3 · units) array. `torch_rnn_for` handles both.
""")

code("""
ported = {}
for kind in ("LSTM", "GRU"):
    keras.utils.set_random_seed(env.seed + 1)
    layer_type = getattr(keras.layers, kind)
    keras_stack = [keras.layers.Bidirectional(layer_type(UNITS, return_sequences=True)),
                   keras.layers.Bidirectional(layer_type(UNITS, return_sequences=True))]
    keras_result = keras_stack[1](keras_stack[0](x))
    torch_stack = torch_rnn_for(keras_stack)
    with torch.no_grad():
        torch_result, _ = torch_stack(torch.from_numpy(x))
    ported[kind] = max_difference(keras_result, torch_result)
    print(f"{kind}: Keras weights {[tuple(w.shape) for w in keras_stack[0].forward_layer.weights]}"
          f"; torch module {torch_stack}; largest difference {shown(ported[kind])}")
assert max(ported.values()) < TOLERANCE
""")

md("""
## 7. Variable lengths: `pack_padded_sequence` and a Keras mask

Three sequences of 10, 6 and 3 timesteps, zero-padded at the end. torch packs them with their
lengths, so padding is never computed; Keras skips masked timesteps. The final states agree,
and so do the outputs at every real timestep. At padded timesteps they differ by design: torch
pads its outputs with zeros, Keras repeats the last real output.
""")

code("""
lengths = [TIMESTEPS, 6, 3]
padded = x[:3].copy()
for row, length in enumerate(lengths):
    padded[row, length:] = 0.0
masked = keras.Sequential([keras.Input((TIMESTEPS, FEATURES)), keras.layers.Masking(0.0),
                           keras.layers.LSTM(UNITS, return_sequences=True)])
masked_layer = masked.layers[-1]
packed_lstm = torch_rnn_for(masked_layer)
keras_outputs = np.asarray(masked(padded))
with torch.no_grad():
    packed = pack_padded_sequence(torch.from_numpy(padded), lengths, batch_first=True)
    packed_output, (h_n, _) = packed_lstm(packed)
    torch_outputs, _ = pad_packed_sequence(packed_output, batch_first=True)
real = np.arange(TIMESTEPS)[np.newaxis, :] < np.array(lengths)[:, np.newaxis]
print("largest difference at real timesteps:",
      shown(max_difference(keras_outputs[real], torch_outputs.numpy()[real])))
print("final h, Keras (last real output) vs torch h_n:",
      shown(max_difference(keras_outputs[np.arange(3), np.array(lengths) - 1], h_n[0])))
print("second sequence, timestep 8: Keras", np.round(keras_outputs[1, 8], 3),
      "torch", np.round(torch_outputs.numpy()[1, 8], 3))
assert max_difference(keras_outputs[real], torch_outputs.numpy()[real]) < TOLERANCE
assert max_difference(keras_outputs[np.arange(3), np.array(lengths) - 1], h_n[0]) < TOLERANCE
""")

md("""
## 8. Dropout between stacked layers

torch's `dropout=p` drops the outputs of every layer except the last, with a fresh mask at
every timestep, in training mode only. Keras puts dropout on each layer's own arguments:
`dropout` (on that layer's inputs) and `recurrent_dropout` (on `h` between timesteps). The
equivalent of torch's is `dropout=p` on the second layer, or a `Dropout(p)` layer between the
two. With a single layer, torch's argument does nothing, and says so:
""")

code("""
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.nn.LSTM(FEATURES, UNITS, num_layers=1, dropout=0.3)
print("torch:", caught[0].message)
dropped = torch.nn.LSTM(FEATURES, UNITS, num_layers=2, dropout=0.5, batch_first=True)
keras_twins = keras_layers_for(dropped)
with torch.no_grad():
    dropped.train()
    first_pass, _ = dropped(torch.from_numpy(x))
    second_pass, _ = dropped(torch.from_numpy(x))
    dropped.eval()
    evaluated, _ = dropped(torch.from_numpy(x))
keras_evaluated = keras_twins[1](keras_twins[0](x))
print(f"training mode, two passes differ by {max_difference(first_pass, second_pass):.3f};",
      "eval mode vs the Keras copy without dropout:",
      shown(max_difference(evaluated, keras_evaluated)))
assert max_difference(first_pass, second_pass) > 0.01
assert max_difference(evaluated, keras_evaluated) < TOLERANCE
""")

md("""
## 9. A whole model, through files

`helpers.language_model.build_model` (Embedding → LSTM → Dense logits, notebook 05's model) has
a torch twin, `torch_language_model`, whose parameters carry the same names. A model moves
between a `.keras` file and a torch `state_dict` file in one call each way.
""")

code("""
text = load_shakespeare()
vocab = CharVocab(text)
keras.utils.set_random_seed(env.seed + 2)
keras_model = build_model(len(vocab), units=TEXT_UNITS, embedding_dim=32)
ids = vocab.encode(text[:TEXT_TIMESTEPS * 4]).reshape(4, TEXT_TIMESTEPS)
with tempfile.TemporaryDirectory() as folder:
    folder = Path(folder)
    keras_model.save(folder / "model.keras")
    keras_file_to_state_dict(folder / "model.keras", folder / "model.pt")
    torch_model = torch_language_model(len(vocab), units=TEXT_UNITS, embedding_dim=32)
    torch_model.load_state_dict(torch.load(folder / "model.pt", weights_only=True))
    state_dict_file_to_keras(folder / "model.pt", folder / "back.keras")
    back = keras.saving.load_model(folder / "back.keras", compile=False)
    print("files written:", sorted(p.name for p in folder.iterdir()))
with torch.no_grad():
    torch_logits, _ = torch_model(torch.from_numpy(ids.astype("int64")))
keras_logits = np.asarray(keras_model(ids))
print(f"logits (4, {TEXT_TIMESTEPS}, {len(vocab)}): .keras -> state_dict differs by "
      f"{shown(max_difference(keras_logits, torch_logits))}; -> .keras again by "
      f"{shown(max_difference(keras_logits, back(ids)))}")
assert max_difference(keras_logits, torch_logits) < TOLERANCE
assert max_difference(keras_logits, back(ids)) < TOLERANCE
""")

md("""
## 10. The same model, trained in each

Same initial weights (the Keras model above, ported), the same batches of 32 windows of 64
characters in the same order, Adam at 3e-3 on both sides. Keras uses
`helpers.optim.DenseGradientAdam`: on the TensorFlow backend Keras's own Adam moves an
embedding row seen k times in a batch by about lr·√k (notebook 06), torch's by lr.

Will the two losses then follow the same path? First, 20 steps, to look for differences that
are not round-off:
""")

code("""
split = int(0.9 * len(text))
x_text, y_text = next_char_windows(vocab.encode(text[:split]), TEXT_TIMESTEPS)
x_held, y_held = next_char_windows(vocab.encode(text[split:]), TEXT_TIMESTEPS)
x_held, y_held = x_held[:256], y_held[:256]
order = np.random.default_rng(env.seed + 3).permutation(len(x_text))
batches = [order[k * TEXT_BATCH_SIZE:(k + 1) * TEXT_BATCH_SIZE] for k in range(TEXT_STEPS)]
initial_weights = keras_model.get_weights()


def keras_twin(epsilon):
    \"\"\"The Keras model from its initial weights, compiled with Adam at this epsilon.\"\"\"
    model = build_model(len(vocab), units=TEXT_UNITS, embedding_dim=32)
    model.set_weights(initial_weights)
    model.compile(DenseGradientAdam(3e-3, epsilon=epsilon),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def torch_twin(epsilon, train_both_biases):
    \"\"\"The same weights in torch, and an Adam step function on the mean cross-entropy.\"\"\"
    module = language_model_to_torch(keras_twin(epsilon))
    module.lstm.bias_hh_l0.requires_grad_(train_both_biases)
    optimizer = torch.optim.Adam([q for q in module.parameters() if q.requires_grad],
                                 lr=3e-3, eps=epsilon)

    def step(inputs, targets):
        optimizer.zero_grad()
        logits, _ = module(torch.from_numpy(inputs.astype("int64")))
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(vocab)),
                                                 torch.from_numpy(targets.astype("int64")).reshape(-1))
        loss.backward()
        optimizer.step()
        return loss.item()
    return module, step
""")

code("""
probe = keras_twin(1e-7)                                   # Keras's default epsilon
variants = {"torch, both biases trained, eps 1e-7": torch_twin(1e-7, True)[1],
            "torch, bias_hh frozen, eps 1e-7": torch_twin(1e-7, False)[1]}
keras_losses = [float(probe.train_on_batch(x_text[b], y_text[b])) for b in batches[:20]]
loss_gaps = {}
for name, step in variants.items():
    per_step = [abs(step(x_text[b], y_text[b]) - keras)
                for b, keras in zip(batches[:20], keras_losses, strict=True)]
    loss_gaps[name] = max(per_step)
    variants[name] = per_step                       # kept for the figure in section 10
    print(f"{name:40s} largest loss gap to Keras over 20 steps: {loss_gaps[name]:.4f} nats")
assert loss_gaps["torch, both biases trained, eps 1e-7"] > 0.01
assert loss_gaps["torch, bias_hh frozen, eps 1e-7"] > 1e-3
""")

md("""
Two real differences, neither of them round-off:

- **torch's two LSTM biases both train.** `bias_ih` and `bias_hh` receive the same gradient and
  only their sum matters, so with SGD the effective bias moves twice as fast as Keras's one
  bias, and with Adam each takes its own step. Freezing `bias_hh` (at the zero the port gave
  it) makes the models the same.
- **Adam's epsilon sits in a different place.** Keras adds it to √v before the bias correction
  (the "ε̂" form in Kingma and Ba's paper); torch adds it after. At 1e-7 that still moves the
  loss within 20 steps, because Adam's first steps are about lr times the gradient's sign for
  every weight, and for weights whose gradient is tiny the two ε decide different steps. With
  ε = 1e-12 on both sides the two updates are the same to round-off.

So the full run uses ε = 1e-12 and a frozen `bias_hh`:
""")

code("""
matched_keras = keras_twin(1e-12)
matched_torch, matched_step = torch_twin(1e-12, False)
losses = {"Keras": [], "PyTorch": []}
seconds = {"Keras": [], "PyTorch": []}
for batch in batches:
    start = time.perf_counter()
    losses["Keras"].append(float(matched_keras.train_on_batch(x_text[batch], y_text[batch])))
    seconds["Keras"].append(time.perf_counter() - start)
    start = time.perf_counter()
    losses["PyTorch"].append(matched_step(x_text[batch], y_text[batch]))
    seconds["PyTorch"].append(time.perf_counter() - start)
with torch.no_grad():
    held_logits, _ = matched_torch(torch.from_numpy(x_held.astype("int64")))
    held = {"PyTorch": torch.nn.functional.cross_entropy(
        held_logits.reshape(-1, len(vocab)), torch.from_numpy(y_held.astype("int64")).reshape(-1)
    ).item()}
held["Keras"] = float(matched_keras.evaluate(x_held, y_held, verbose=0))
gaps = np.abs(np.subtract(losses["Keras"], losses["PyTorch"]))
print(f"largest training-loss gap, steps 1-20: {shown(gaps[:20].max())}; over all "
      f"{TEXT_STEPS} steps: {gaps.max():.3f} nats")
print(f"after {TEXT_STEPS} steps, held-out nats/char: Keras {held['Keras']:.3f}, "
      f"PyTorch {held['PyTorch']:.3f}")
assert gaps[:20].max() < 1e-3
assert abs(held["Keras"] - held["PyTorch"]) < 0.02
assert max(held.values()) < np.log(len(vocab)) - 1
""")

code("""
# NBVAL_IGNORE_OUTPUT
for name in ("Keras", "PyTorch"):
    median = np.median(seconds[name][5:])
    print(f"{name:8s} median step {1000 * median:6.1f} ms, "
          f"{TEXT_BATCH_SIZE * TEXT_TIMESTEPS / median:,.0f} characters per second")
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4))
left.plot(losses["Keras"], lw=2.5, color="0.7", label="Keras")
left.plot(losses["PyTorch"], lw=0.8, color="C1", label="PyTorch")
left.set(xlabel="step", ylabel="training loss (nats/char)", title="Matched: the curves coincide")
left.legend()
for name, per_step in variants.items():
    right.semilogy(range(1, 21), np.maximum(per_step, 1e-8), "o-", ms=3, label=name)
right.semilogy(range(1, TEXT_STEPS + 1), np.maximum(gaps, 1e-8), lw=0.8,
               label="matched: bias_hh frozen, eps 1e-12")
right.set(xlabel="step", ylabel="|loss gap to Keras| (nats)", title="What each difference costs")
right.legend(fontsize=7)
save_fig("training_side_by_side", fig)
plt.show()
""")

md("""
With the two differences removed, the losses agree to round-off for the first steps and stay
together (the gap printed above); what remains is float32 round-off, which differs between the
two libraries' kernels and grows over training. The step times above were measured alternately in this one kernel,
Keras on TensorFlow with oneDNN off (as every notebook sets it) and torch with its default
threads: the two thread pools share this machine's cores, so treat them as a rough
comparison; `benchmarks/` is where speed is measured properly.

## 11. Summary

- Same cell, different storage: transpose the matrices, add torch's two biases, keep the LSTM's
  gate order, swap the GRU's first two gates. `helpers.torch_port` does it both ways, for
  stacks, bidirectional layers and whole language models, and through files.
- torch returns `output, (h_n, c_n)` always; `h_n` is (num_layers · directions, batch,
  units). Keras returns what `return_sequences` and `return_state` ask for.
- torch defaults to (timesteps, batch, features): use `batch_first=True` or `transpose`, never
  `view`.
- torch accepts a 2-D unbatched sequence; Keras needs the batch axis.
- Lengths: `pack_padded_sequence` and a Keras mask agree on every real timestep and final state;
  their padded outputs differ (zeros vs the last real output).
- torch's `dropout=` is between layers only; Keras's `dropout` / `recurrent_dropout` belong to
  each layer.
- To train the same model the same way: freeze torch's redundant `bias_hh`, and mind Adam's
  epsilon (Keras's is added before the bias correction, torch's after).
""")
