"""Copy LSTM and GRU weights between Keras 3 and PyTorch, both ways, and whole language models.

The two frameworks compute the same cells but store them differently:

===========  =======================================  ========================================
             Keras 3 (``keras.layers.LSTM``)          PyTorch (``torch.nn.LSTM``)
===========  =======================================  ========================================
input        ``kernel`` (features, 4·units)           ``weight_ih_l{k}`` (4·units, features)
recurrent    ``recurrent_kernel`` (units, 4·units)    ``weight_hh_l{k}`` (4·units, units)
bias         one ``bias`` (4·units,)                  ``bias_ih_l{k}`` + ``bias_hh_l{k}``
gate order   i, f, c, o                               i, f, g, o (the same order)
layer k > 0  input features = directions·units        ``weight_ih_l{k}`` (4·units, dirs·units)
reverse      ``Bidirectional(...).backward_layer``    ``..._reverse`` parameters
===========  =======================================  ========================================

For the GRU, Keras's default ``reset_after=True`` computes torch's formula (the reset gate
multiplies ``h @ U + b_recurrent``), but the gates are stored z, r, h in Keras and r, z, n in
torch, and Keras keeps its two biases as one ``(2, 3·units)`` array (input bias, recurrent
bias). A Keras GRU with ``reset_after=False`` computes another formula and cannot be ported.

Only the weights move: activations must be Keras's defaults (tanh, sigmoid), which are torch's
fixed ones; a Keras ``Bidirectional`` must concatenate (``merge_mode="concat"``), as torch does.

PyTorch is imported inside the functions that need it, so ``helpers`` works without it;
install it with ``pip install "lstm-course-helpers[torch]"`` or ``pip install torch``.

Sources: Keras docs, "LSTM layer", "GRU layer", "Bidirectional layer"; PyTorch docs,
``torch.nn.LSTM`` and ``torch.nn.GRU`` (the equations and the ``weight_ih_l[k]`` layouts).
"""

from __future__ import annotations

import numpy as np

_GATES = {"LSTM": 4, "GRU": 3}


def _torch():
    from helpers.notebook import require

    require("torch", "helpers.torch_port (CPU builds: see pytorch.org)", extra="torch")
    import torch

    return torch


def _keras_cells(layers) -> list[list]:
    """[[forward_layer] or [forward_layer, backward_layer], ...], one entry per stacked layer,
    after checking that each is a built LSTM or GRU that torch can compute."""
    import keras

    if not isinstance(layers, (list, tuple)):
        layers = [layers]
    if not layers:
        raise ValueError("layers must be one Keras LSTM/GRU layer (or Bidirectional) or a "
                         "non-empty list of them; got an empty list.")
    stack = []
    for position, layer in enumerate(layers):
        where = f"layers[{position}]" if len(layers) > 1 else "layers"
        if isinstance(layer, keras.layers.Bidirectional):
            if layer.merge_mode != "concat":
                raise ValueError(f"{where} is a Bidirectional with merge_mode="
                                 f"{layer.merge_mode!r}; torch concatenates the two directions."
                                 " Build it with merge_mode='concat'.")
            directions = [layer.forward_layer, layer.backward_layer]
        else:
            directions = [layer]
        for cell in directions:
            kind = type(cell).__name__
            if kind not in _GATES:
                raise ValueError(f"{where} must be a keras.layers.LSTM or GRU (or a "
                                 f"Bidirectional wrapping one); got {type(layer).__name__}.")
            config = cell.get_config()
            if config["activation"] != "tanh" or config["recurrent_activation"] != "sigmoid":
                raise ValueError(f"{where} uses activation={config['activation']!r}, "
                                 f"recurrent_activation={config['recurrent_activation']!r}; "
                                 "torch's cells are fixed at tanh and sigmoid. Use the defaults.")
            if kind == "GRU" and not config["reset_after"]:
                raise ValueError(f"{where} is a GRU with reset_after=False, which applies the "
                                 "reset gate before the recurrent matmul; torch's GRU applies "
                                 "it after (Keras's default, reset_after=True). Rebuild it "
                                 "with reset_after=True and retrain.")
            if not cell.built:
                raise ValueError(f"{where} is not built, so it has no weights yet. Call the "
                                 "model on an input (or layer.build(input_shape)) first.")
        kinds = {type(cell).__name__ for cell in directions}
        stack.append(directions)
        if len(kinds) != 1:
            raise ValueError(f"{where} mixes {sorted(kinds)}; torch needs one cell type.")
    kinds = {type(directions[0]).__name__ for directions in stack}
    widths = {len(directions) for directions in stack}
    if len(kinds) != 1 or len(widths) != 1:
        raise ValueError("layers must all be the same cell type and all, or none, "
                         f"Bidirectional, as in one torch module; got types {sorted(kinds)} "
                         f"with {sorted(widths)} direction(s).")
    return stack


def _check_pair(stack, module) -> str:
    """The cell type, after checking that ``module`` has the shape of ``stack``."""
    torch = _torch()
    kind = type(stack[0][0]).__name__
    expected = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[kind]
    if not isinstance(module, expected):
        raise ValueError(f"module must be a torch.nn.{kind} to match Keras {kind} layers; got "
                         f"{type(module).__name__}.")
    if getattr(module, "proj_size", 0):
        raise ValueError(f"module has proj_size={module.proj_size}; Keras's LSTM has no "
                         "projection. Use proj_size=0.")
    units = stack[0][0].units
    features = stack[0][0].get_weights()[0].shape[0]
    use_bias = stack[0][0].use_bias
    directions = len(stack[0])
    got = (module.num_layers, bool(module.bidirectional), module.hidden_size,
           module.input_size, bool(module.bias))
    want = (len(stack), directions == 2, units, features, use_bias)
    if got != want or any(cell.units != units or cell.use_bias != use_bias
                          for pair in stack for cell in pair):
        raise ValueError(
            "module must match the Keras layers: expected (num_layers, bidirectional, "
            f"hidden_size, input_size, bias) = {want}; got {got}. Build it as torch.nn.{kind}"
            f"({features}, {units}, num_layers={len(stack)}, bidirectional="
            f"{directions == 2}, bias={use_bias}), or use torch_rnn_for(layers).")
    return kind


def _swap_gru_gates(array, axis: int):
    """Keras's GRU gate blocks z, r, h <-> torch's r, z, n (the swap is its own inverse)."""
    blocks = np.split(np.asarray(array), 3, axis=axis)
    return np.concatenate([blocks[1], blocks[0], blocks[2]], axis=axis)


def keras_to_torch(layers, module):
    """Copy the weights of Keras recurrent layers into a torch ``nn.LSTM`` or ``nn.GRU``.

    Args:
        layers: a built ``keras.layers.LSTM`` / ``GRU`` (or ``Bidirectional`` of one), or a
            list of them, one per torch layer (``num_layers``), first layer first.
        module: a ``torch.nn.LSTM`` / ``torch.nn.GRU`` of the same sizes (``batch_first``
            may be either; it does not change the weights).

    Returns:
        ``module``, its parameters overwritten (float32).

    Raises:
        ValueError: a layer torch cannot compute (other activations, GRU
            ``reset_after=False``, ``merge_mode`` other than concat, not built), or a
            module of another type or size; the message says what to build instead.
        ImportError: PyTorch is not installed.
    """
    torch = _torch()
    stack = _keras_cells(layers)
    kind = _check_pair(stack, module)
    with torch.no_grad():
        for k, directions in enumerate(stack):
            for direction, cell in enumerate(directions):
                suffix = f"_l{k}" + ("_reverse" if direction else "")
                weights = cell.get_weights()
                kernel, recurrent = weights[0].T, weights[1].T
                if kind == "GRU":
                    kernel = _swap_gru_gates(kernel, 0)
                    recurrent = _swap_gru_gates(recurrent, 0)
                getattr(module, "weight_ih" + suffix).copy_(torch.from_numpy(
                    np.ascontiguousarray(kernel, dtype=np.float32)))
                getattr(module, "weight_hh" + suffix).copy_(torch.from_numpy(
                    np.ascontiguousarray(recurrent, dtype=np.float32)))
                if cell.use_bias:
                    bias = weights[2]
                    if kind == "LSTM":  # one Keras bias: all of it on the input side
                        input_bias, recurrent_bias = bias, np.zeros_like(bias)
                    else:
                        input_bias = _swap_gru_gates(bias[0], 0)
                        recurrent_bias = _swap_gru_gates(bias[1], 0)
                    getattr(module, "bias_ih" + suffix).copy_(torch.from_numpy(
                        np.asarray(input_bias, dtype=np.float32)))
                    getattr(module, "bias_hh" + suffix).copy_(torch.from_numpy(
                        np.asarray(recurrent_bias, dtype=np.float32)))
    return module


def torch_to_keras(module, layers):
    """Copy a torch ``nn.LSTM`` / ``nn.GRU``'s weights into built Keras recurrent layers.

    The inverse of :func:`keras_to_torch`, with the same arguments in the other order. An
    LSTM's two torch biases become Keras's one (``bias_ih + bias_hh``); they only ever add.

    Returns:
        ``layers``, their weights overwritten.

    Raises:
        ValueError, ImportError: as :func:`keras_to_torch`.
    """
    stack = _keras_cells(layers)
    kind = _check_pair(stack, module)
    for k, directions in enumerate(stack):
        for direction, cell in enumerate(directions):
            suffix = f"_l{k}" + ("_reverse" if direction else "")

            def param(name, suffix=suffix):
                return getattr(module, name + suffix).detach().cpu().numpy().astype(np.float32)

            kernel, recurrent = param("weight_ih").T, param("weight_hh").T
            if kind == "GRU":
                kernel = _swap_gru_gates(kernel, 1)
                recurrent = _swap_gru_gates(recurrent, 1)
            weights = [kernel, recurrent]
            if cell.use_bias:
                if kind == "LSTM":
                    weights.append(param("bias_ih") + param("bias_hh"))
                else:
                    weights.append(np.stack([_swap_gru_gates(param("bias_ih"), 0),
                                             _swap_gru_gates(param("bias_hh"), 0)]))
            cell.set_weights(weights)
    return layers


def torch_rnn_for(layers, *, batch_first: bool = True):
    """A new torch ``nn.LSTM`` / ``nn.GRU`` of the Keras layers' sizes, holding their weights.

    ``batch_first=True`` (the default here, not torch's) takes ``(batch, timesteps,
    features)`` like Keras; ``False`` is torch's own ``(timesteps, batch, features)``.

    Raises:
        ValueError, ImportError: as :func:`keras_to_torch`.
    """
    torch = _torch()
    stack = _keras_cells(layers)
    first = stack[0][0]
    module_type = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[type(first).__name__]
    module = module_type(first.get_weights()[0].shape[0], first.units, num_layers=len(stack),
                         bias=first.use_bias, batch_first=batch_first,
                         bidirectional=len(stack[0]) == 2)
    return keras_to_torch(layers, module)


def keras_layers_for(module, *, return_sequences: bool = True, return_state: bool = False):
    """New, built Keras layers (one per torch layer; ``Bidirectional`` where the module is)
    of a torch ``nn.LSTM`` / ``nn.GRU``'s sizes, holding its weights.

    Every layer but the last returns sequences (it feeds the next); the last takes
    ``return_sequences`` and ``return_state``. Call them in order on
    ``(batch, timesteps, features)``.

    Raises:
        ValueError: ``module`` is not an ``nn.LSTM`` / ``nn.GRU``, or has ``proj_size``.
        ImportError: PyTorch is not installed.
    """
    torch = _torch()
    import keras

    kinds = {torch.nn.LSTM: keras.layers.LSTM, torch.nn.GRU: keras.layers.GRU}
    if type(module) not in kinds:
        raise ValueError(f"module must be a torch.nn.LSTM or torch.nn.GRU; got "
                         f"{type(module).__name__}.")
    if getattr(module, "proj_size", 0):
        raise ValueError(f"module has proj_size={module.proj_size}; Keras's LSTM has no "
                         "projection. Use proj_size=0.")
    layer_type = kinds[type(module)]
    directions = 2 if module.bidirectional else 1
    layers, features = [], module.input_size
    for k in range(module.num_layers):
        last = k == module.num_layers - 1
        options = {"return_sequences": return_sequences or not last,
                   "return_state": return_state and last, "use_bias": bool(module.bias)}
        layer = layer_type(module.hidden_size, **options)
        if directions == 2:
            layer = keras.layers.Bidirectional(layer)
        layer.build((None, None, features))
        layers.append(layer)
        features = directions * module.hidden_size
    return torch_to_keras(module, layers)


# ------------------------------------------------------------------ whole language models
def torch_language_model(vocab_size: int, *, units: int = 256, layers: int = 1,
                         embedding_dim: int = 64):
    """The torch twin of :func:`helpers.language_model.build_model`: ``nn.Embedding`` ->
    ``nn.LSTM(batch_first=True, num_layers=layers)`` -> ``nn.Linear`` logits.

    Its ``forward(ids, state=None)`` takes ``(batch, timesteps)`` int64 ids and returns
    ``(logits, (h_n, c_n))``: logits ``(batch, timesteps, vocab_size)``, ``h_n`` and ``c_n``
    ``(layers, batch, units)``. Attributes ``embedding``, ``lstm``, ``logits`` match
    ``build_model``'s layer names, so the state_dict keys read ``embedding.weight``,
    ``lstm.weight_ih_l0``, ... ``logits.weight``.

    Raises:
        ValueError: a size is not a positive integer.
        ImportError: PyTorch is not installed.
    """
    from helpers.checks import positive_int

    vocab_size = positive_int("vocab_size", vocab_size, "Pass len(vocab).")
    units, layers, embedding_dim = (positive_int(name, value) for name, value in
                                    (("units", units), ("layers", layers),
                                     ("embedding_dim", embedding_dim)))
    torch = _torch()

    class LanguageModel(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(vocab_size, embedding_dim)
            self.lstm = torch.nn.LSTM(embedding_dim, units, num_layers=layers,
                                      batch_first=True)
            self.logits = torch.nn.Linear(units, vocab_size)

        def forward(self, ids, state=None):
            outputs, state = self.lstm(self.embedding(ids), state)
            return self.logits(outputs), state

    return LanguageModel()


def _language_model_parts(model):
    """(embedding, [lstm layers], dense) of a build_model() model, or a clear error."""
    import keras

    try:
        embedding = model.get_layer("embedding")
        dense = model.get_layer("logits")
    except ValueError:
        raise ValueError("model must be a helpers.language_model.build_model() model (layers "
                         "'embedding', 'lstm_1', ..., 'logits'); got one with layers "
                         f"{[layer.name for layer in model.layers]}.") from None
    dense = dense.layer if isinstance(dense, keras.layers.TimeDistributed) else dense
    lstms = [layer for layer in model.layers if isinstance(layer, keras.layers.LSTM)]
    return embedding, lstms, dense


def language_model_to_torch(model):
    """A :func:`torch_language_model` holding the weights of a ``build_model()`` Keras model;
    both give the same logits for the same ids (float32 round-off).

    Raises:
        ValueError: ``model`` is not a ``build_model()`` model.
        ImportError: PyTorch is not installed.
    """
    torch = _torch()
    embedding, lstms, dense = _language_model_parts(model)
    vocab_size, embedding_dim = embedding.get_weights()[0].shape
    twin = torch_language_model(vocab_size, units=lstms[0].units, layers=len(lstms),
                                embedding_dim=embedding_dim)
    keras_to_torch(lstms, twin.lstm)
    kernel, bias = dense.get_weights()
    with torch.no_grad():
        twin.embedding.weight.copy_(torch.from_numpy(embedding.get_weights()[0]))
        twin.logits.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T)))
        twin.logits.bias.copy_(torch.from_numpy(bias))
    return twin


def language_model_from_torch(module, **build_options):
    """A ``build_model()`` Keras model holding the weights of a :func:`torch_language_model`
    (or any module with ``embedding``, ``lstm`` and ``logits`` of those types).

    ``build_options`` go to ``build_model`` (``batch_size``, ``timesteps``, ``stateful``).

    Raises:
        ValueError: ``module`` lacks those parts, or its LSTM is bidirectional, projected,
            or not ``batch_first``.
        ImportError: PyTorch is not installed.
    """
    from helpers.language_model import build_model

    torch = _torch()
    parts = [getattr(module, name, None) for name in ("embedding", "lstm", "logits")]
    types = (torch.nn.Embedding, torch.nn.LSTM, torch.nn.Linear)
    if not all(isinstance(part, kind) for part, kind in zip(parts, types, strict=True)):
        raise ValueError("module must have embedding (nn.Embedding), lstm (nn.LSTM) and "
                         "logits (nn.Linear), as torch_language_model() builds; got "
                         f"{[type(part).__name__ for part in parts]}.")
    embedding, lstm, linear = parts
    if lstm.bidirectional or lstm.proj_size or not lstm.batch_first:
        raise ValueError("module.lstm must be one-directional, without proj_size, and "
                         "batch_first=True, like build_model's LSTMs; got bidirectional="
                         f"{lstm.bidirectional}, proj_size={lstm.proj_size}, batch_first="
                         f"{lstm.batch_first}.")
    model = build_model(embedding.num_embeddings, units=lstm.hidden_size,
                        layers=lstm.num_layers, embedding_dim=embedding.embedding_dim,
                        **build_options)
    keras_embedding, lstms, dense = _language_model_parts(model)
    torch_to_keras(lstm, lstms)
    keras_embedding.set_weights([embedding.weight.detach().cpu().numpy()])
    dense.set_weights([linear.weight.detach().cpu().numpy().T,
                       linear.bias.detach().cpu().numpy()])
    return model


def keras_file_to_state_dict(keras_path, torch_path) -> None:
    """Read a ``build_model()`` model saved as ``.keras`` and write its weights as a torch
    ``state_dict`` file (``torch.save``), loadable into :func:`torch_language_model`.

    Raises:
        FileNotFoundError: ``keras_path`` does not exist.
        ValueError: the file holds another kind of model.
        ImportError: PyTorch is not installed.
    """
    from pathlib import Path

    import keras

    torch = _torch()
    keras_path = Path(keras_path)
    if not keras_path.is_file():
        raise FileNotFoundError(f"keras_path: no file at {keras_path}. Save the model with "
                                "model.save('name.keras') first.")
    twin = language_model_to_torch(keras.saving.load_model(keras_path, compile=False))
    torch.save(twin.state_dict(), torch_path)


def state_dict_file_to_keras(torch_path, keras_path) -> None:
    """Read a torch ``state_dict`` file of a :func:`torch_language_model` and save the same
    model as a ``.keras`` file (``build_model()``'s layers); sizes are read off the shapes.

    Raises:
        FileNotFoundError: ``torch_path`` does not exist.
        ValueError: the state_dict lacks ``embedding.weight``, ``lstm.weight_ih_l0``,
            ``logits.weight``, or ``keras_path`` does not end in ``.keras``.
        ImportError: PyTorch is not installed.
    """
    from pathlib import Path

    torch = _torch()
    torch_path, keras_path = Path(torch_path), Path(keras_path)
    if not torch_path.is_file():
        raise FileNotFoundError(f"torch_path: no file at {torch_path}. Write it with "
                                "torch.save(module.state_dict(), path) first.")
    if keras_path.suffix != ".keras":
        raise ValueError(f"keras_path must end in .keras (Keras 3's format); got "
                         f"{keras_path.name!r}.")
    state = torch.load(torch_path, map_location="cpu", weights_only=True)
    needed = ("embedding.weight", "lstm.weight_ih_l0", "logits.weight")
    missing = [key for key in needed if key not in state]
    if missing:
        raise ValueError(f"torch_path holds no language model of torch_language_model()'s "
                         f"layout: missing {missing}; its keys start {sorted(state)[:5]}.")
    vocab_size, embedding_dim = state["embedding.weight"].shape
    units = state["lstm.weight_hh_l0"].shape[1]
    layers = sum(1 for key in state if key.startswith("lstm.weight_ih_l"))
    twin = torch_language_model(vocab_size, units=units, layers=layers,
                                embedding_dim=embedding_dim)
    twin.load_state_dict(state)
    language_model_from_torch(twin).save(keras_path)
