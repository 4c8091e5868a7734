"""helpers.torch_train: the torch twin trained in a child process gives the losses and the
weights the same loop gives in this process, and a failed child says so."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from helpers.language_model import build_model  # noqa: E402
from helpers.torch_port import language_model_to_torch  # noqa: E402
from helpers.torch_train import adam_run, train_in_child  # noqa: E402


def _case():
    keras.utils.set_random_seed(7)
    model = build_model(11, units=6, embedding_dim=4)
    ids = np.random.default_rng(7).integers(0, 11, size=(12, 9))
    batches = [np.arange(k, k + 4) for k in range(0, 12, 4)]
    return model, ids[:, :-1], ids[:, 1:], batches


def test_the_child_trains_as_the_same_loop_does_here_and_a_frozen_bias_stays_put():
    model, inputs, targets, batches = _case()
    runs = {"frozen": {"epsilon": 1e-12, "train_both_biases": False},
            "both, two steps": {"epsilon": 1e-7, "train_both_biases": True, "steps": 2}}
    child = train_in_child(model, inputs, targets, batches, runs, lr=0.01)
    for name, run in runs.items():
        here = language_model_to_torch(model)
        losses, _ = adam_run(here, inputs, targets, batches[:run.get("steps", 3)],
                                   lr=0.01, epsilon=run["epsilon"],
                                   train_both_biases=run["train_both_biases"])
        assert np.allclose(child[name]["losses"], losses, atol=1e-6) and len(losses) == len(
            child[name]["seconds"])
        for key, value in here.state_dict().items():
            assert torch.allclose(child[name]["module"].state_dict()[key], value, atol=1e-6)
    assert not child["frozen"]["module"].lstm.bias_hh_l0.detach().any()
    assert child["both, two steps"]["module"].lstm.bias_hh_l0.detach().any()
    initial = language_model_to_torch(model).lstm.weight_hh_l0
    assert not torch.allclose(child["frozen"]["module"].lstm.weight_hh_l0, initial)


def test_a_child_that_fails_raises_with_what_it_printed():
    model, inputs, targets, batches = _case()
    with pytest.raises(RuntimeError, match=r"(?s)torch training process failed.*epsilon"):
        train_in_child(model, inputs, targets, batches, {"no epsilon": {}}, lr=0.01)
