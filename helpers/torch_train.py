"""Train the torch twin of a Keras language model with Adam, in a child process.

Notebook 10 trains the same model in Keras and in PyTorch from the same weights on the same
batches. The torch side runs here, in a separate Python process, for one reason: in some
environments a process that has loaded TensorFlow crashes with a segmentation fault when
PyTorch's optimizers first run. ``torch.optim`` imports ``torch._dynamo``, which imports
``triton`` where it is installed (the CUDA builds of torch bring it), and importing
``triton`` 3.8.0 after TensorFlow 2.20.0 crashed on Python 3.12 with torch 2.14.1+cu130
(reproduced in three lines: ``import tensorflow; import triton``). A child process that
never imports TensorFlow is safe wherever the two are installed; forward and backward passes
in torch, without an optimizer, ran fine beside TensorFlow in the same environment.

:func:`train_in_child` is what a notebook calls; ``python -m helpers.torch_train FOLDER``
is the child. The training loop is :func:`adam_run`: the usual torch loop (``zero_grad``,
forward, ``cross_entropy``, ``backward``, ``step``).

Source: PyTorch docs, ``torch.optim.Adam`` (``eps`` added after the bias correction) and
``torch.nn.LSTM``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def adam_run(module, inputs, targets, batches, *, lr: float, epsilon: float,
             train_both_biases: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Train ``module`` (``helpers.torch_port.torch_language_model``) in place with Adam on
    the mean cross-entropy, one step per entry of ``batches``.

    Args:
        module: the torch language model; ``module.lstm.bias_hh_l0`` is frozen unless
            ``train_both_biases`` (Keras has one bias; torch's two only ever add).
        inputs, targets: int arrays (windows, timesteps) of character ids.
        batches: a sequence of index arrays into ``inputs``, one per step.
        lr, epsilon: Adam's learning rate and ``eps``.

    Returns:
        (losses, seconds): per step, the training loss in nats per character and the wall
        time of the step in seconds.
    """
    import torch

    for name, parameter in module.lstm.named_parameters():
        if name.startswith("bias_hh"):
            parameter.requires_grad_(train_both_biases)
    optimizer = torch.optim.Adam([p for p in module.parameters() if p.requires_grad],
                                 lr=lr, eps=epsilon)
    losses, seconds = [], []
    for batch in batches:
        start = time.perf_counter()
        optimizer.zero_grad()
        logits, _ = module(torch.from_numpy(np.asarray(inputs[batch], dtype=np.int64)))
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]),
            torch.from_numpy(np.asarray(targets[batch], dtype=np.int64)).reshape(-1))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    return np.array(losses), np.array(seconds)


def train_in_child(keras_model, inputs, targets, batches, runs: dict, *, lr: float) -> dict:
    """Train copies of ``keras_model``'s torch twin in a child process, one per entry of
    ``runs``, each from ``keras_model``'s weights as they are now.

    Args:
        keras_model: a :func:`helpers.language_model.build_model` model.
        inputs, targets, batches: as :func:`adam_run` takes them.
        runs: name -> ``{"epsilon": float, "train_both_biases": bool, "steps": int}``;
            ``steps`` (default: all of ``batches``) takes the first batches only.
        lr: Adam's learning rate.

    Returns:
        name -> ``{"losses": array, "seconds": array, "module": the trained torch model}``
        (the module is loaded here, in this process; only its training ran in the child).

    Raises:
        ModuleNotFoundError: PyTorch is not installed (the message says how to install it).
        RuntimeError: the child failed; the message holds the end of what it printed.
    """
    import torch

    from helpers.torch_port import language_model_to_torch, torch_language_model

    twin = language_model_to_torch(keras_model)
    sizes = {"vocab_size": twin.embedding.num_embeddings, "units": twin.lstm.hidden_size,
             "embedding_dim": twin.embedding.embedding_dim, "layers": twin.lstm.num_layers}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        torch.save(twin.state_dict(), folder / "initial.pt")
        np.savez(folder / "data.npz", inputs=inputs, targets=targets,
                 batches=np.asarray(batches))
        (folder / "job.json").write_text(json.dumps({"sizes": sizes, "runs": runs, "lr": lr}))
        child = subprocess.run([sys.executable, "-m", "helpers.torch_train", str(folder)],
                               capture_output=True, text=True,
                               env={**os.environ, "KERAS_BACKEND": "torch"})
        if child.returncode != 0:
            raise RuntimeError(f"the torch training process failed (exit code "
                               f"{child.returncode}):\n{(child.stdout + child.stderr)[-2000:]}")
        results = {}
        for name in runs:
            saved = np.load(folder / f"{name}.npz")
            module = torch_language_model(**sizes)
            module.load_state_dict(torch.load(folder / f"{name}.pt", weights_only=True))
            results[name] = {"losses": saved["losses"], "seconds": saved["seconds"],
                             "module": module.eval()}
    return results


def _child(folder: Path) -> None:
    import torch

    from helpers.torch_port import torch_language_model

    job = json.loads((folder / "job.json").read_text())
    data = np.load(folder / "data.npz")
    initial = torch.load(folder / "initial.pt", weights_only=True)
    for name, run in job["runs"].items():
        module = torch_language_model(**job["sizes"])
        module.load_state_dict(initial)
        batches = data["batches"][:run.get("steps", len(data["batches"]))]
        losses, seconds = adam_run(module, data["inputs"], data["targets"], batches,
                                   lr=job["lr"], epsilon=run["epsilon"],
                                   train_both_biases=run["train_both_biases"])
        np.savez(folder / f"{name}.npz", losses=losses, seconds=seconds)
        torch.save(module.state_dict(), folder / f"{name}.pt")


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
