"""``FusedLSTM``: Keras's LSTM layer, run on the torch backend by PyTorch's own LSTM kernel.

On the torch backend, Keras 3.15 hands the whole sequence to PyTorch's fused LSTM (what
``torch.nn.LSTM`` runs) only on CUDA; on a CPU it runs a Python loop over the timesteps,
about ten small torch operations per step, each recorded for the backward pass. Measured on
a 2-core CPU at the command's default size (``benchmarks/vs_pytorch.py``): 0.19x the speed
of plain PyTorch. :class:`FusedLSTM` is ``keras.layers.LSTM`` with one change: on the torch
backend it computes the sequence with ``torch.nn.LSTM``'s kernel, through
``torch.func.functional_call`` and the layer's own weights (so gradients reach them), and it
ran at the speed of plain PyTorch.

Everything else is ``keras.layers.LSTM``'s: the weights (``kernel``, ``recurrent_kernel``,
``bias``, gates i, f, c, o: the order PyTorch uses too), the configuration, ``stateful``,
``return_state``. Where the fused kernel does not apply (the TensorFlow and JAX backends, a
mask, ``go_backwards``, ``unroll``, dropout inside the layer, other activations, no bias),
the layer is exactly ``keras.layers.LSTM``. A model saved with it names the class
``helpers>FusedLSTM``; importing this module (``helpers.language_model.load_trained`` does) lets
``keras.saving.load_model`` read it.

Sources: Keras docs, "LSTM layer"; PyTorch docs, ``torch.nn.LSTM`` and
``torch.func.functional_call``; the Keras/torch weight layouts in :mod:`helpers.torch_port`.
"""

from __future__ import annotations

import keras

__all__ = ["FusedLSTM"]


@keras.saving.register_keras_serializable(package="helpers")
class FusedLSTM(keras.layers.LSTM):
    """``keras.layers.LSTM`` (same arguments) that runs PyTorch's fused LSTM kernel on the
    torch backend. Input ``(batch, timesteps, features)``; output as ``keras.layers.LSTM``'s.
    """

    def fused(self, mask=None) -> bool:
        """Whether a call with ``mask`` runs PyTorch's kernel (see the module docstring)."""
        cell = self.cell
        return (keras.backend.backend() == "torch" and mask is None and not self.go_backwards
                and not self.unroll and cell.use_bias and not cell.dropout
                and not cell.recurrent_dropout
                and cell.activation is keras.activations.tanh
                and cell.recurrent_activation is keras.activations.sigmoid)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not self.fused(mask):
            return super().inner_loop(sequences, initial_state, mask, training=training)
        import torch
        from torch.func import functional_call

        cell = self.cell
        bias = cell.bias.value
        # torch stores (4*units, features) and two biases; Keras (features, 4*units) and one
        weights = {"weight_ih_l0": cell.kernel.value.T.contiguous(),
                   "weight_hh_l0": cell.recurrent_kernel.value.T.contiguous(),
                   "bias_ih_l0": bias, "bias_hh_l0": torch.zeros_like(bias)}
        h0, c0 = (keras.ops.convert_to_tensor(s).to(bias.dtype)[None] for s in initial_state)
        sequences = keras.ops.convert_to_tensor(sequences).to(bias.dtype)
        outputs, (h, c) = functional_call(self._torch_lstm(sequences.shape[-1]), weights,
                                          (sequences, (h0, c0)))
        last = outputs[:, -1]
        return last, outputs if self.return_sequences else last[:, None], [h[0], c[0]]

    def _torch_lstm(self, features: int):
        """A ``torch.nn.LSTM`` of this layer's shape, whose weights are never used (each call
        passes the layer's own); kept outside Keras's and torch's tracking of attributes."""
        module = self.__dict__.get("_torch_module")
        if module is None:
            import torch

            module = torch.nn.LSTM(features, self.units, batch_first=True)
            object.__setattr__(self, "_torch_module", module)
        return module
