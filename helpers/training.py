"""Training many small models of one architecture without tracing each one again.

Keras traces a model's train step (a ``tf.function``) on its first ``fit``: about a second
and a half for a small masked LSTM on a CPU, often more than its training takes. A notebook
that trains one architecture from several seeds can train the *same* compiled model again
from a fresh start instead: :func:`restart_from` gives it the weights, the optimizer state and
the dropout seed states of a freshly built twin, and its traced step is kept.
:func:`reuse_traced` keeps one such model per architecture in a dictionary.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

__all__ = ["restart_from", "reuse_traced"]


def restart_from(model, fresh) -> None:
    """Give a compiled ``model`` the initial state of ``fresh``, a newly built and compiled
    model of the same architecture, so that training ``model`` again is training ``fresh``.

    Copies every weight (``fresh.get_weights()``, trainable and not), every optimizer
    variable (iterations, moments; ``fresh``'s optimizer is built on its weights first) and
    every other variable of the model: the states of its random seed generators, from which
    ``dropout``, ``recurrent_dropout`` and ``Dropout`` draw their masks (``model.variables``
    holds them, ``get_weights`` does not). ``model`` keeps its traced train and predict
    functions; ``fresh`` is left untouched and can be thrown away.

    Args:
        model: a compiled Keras model that has been trained (or at least built).
        fresh: a compiled Keras model with the same layers and the same optimizer class,
            e.g. built by the same function with another seed.

    Raises:
        ValueError: the two models' weights or optimizer variables differ in number or
            shape (not the same architecture or optimizer), or either is not compiled.

    Source: Keras docs, "Model training APIs" (``compile``, ``fit``) and "Optimizers"
    (``build``, ``variables``).
    """
    for name, m in (("model", model), ("fresh", fresh)):
        if getattr(m, "optimizer", None) is None:
            raise ValueError(f"{name} must be a compiled Keras model; got one with no optimizer. "
                             "Call compile() first.")
    shapes = [[tuple(v.shape) for v in m.weights + _not_weights(m)] for m in (model, fresh)]
    if shapes[0] != shapes[1]:
        raise ValueError(f"fresh must have model's architecture: model has weights and seed "
                         f"states of shapes {shapes[0]}, fresh {shapes[1]}. Build fresh with "
                         "the same function and options (dropout included).")
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    if not fresh.optimizer.built:
        fresh.optimizer.build(fresh.trainable_variables)
    mine, theirs = model.optimizer.variables, fresh.optimizer.variables
    if type(model.optimizer) is not type(fresh.optimizer) or [tuple(v.shape) for v in mine] != [
            tuple(v.shape) for v in theirs]:
        raise ValueError(f"fresh must have model's optimizer: model has "
                         f"{type(model.optimizer).__name__} with {len(mine)} variables, fresh "
                         f"{type(fresh.optimizer).__name__} with {len(theirs)}. Compile both "
                         "with the same optimizer.")
    model.set_weights(fresh.get_weights())
    for variable, value in zip(mine, theirs, strict=True):
        variable.assign(value)
    for variable, value in zip(_not_weights(model), _not_weights(fresh), strict=True):
        variable.assign(value)           # seed generators' states: the same dropout masks


def _not_weights(model) -> list:
    """The model's variables that ``get_weights`` leaves out (seed generators' states)."""
    weights = {id(w) for w in model.weights}
    return [v for v in model.variables if id(v) not in weights]


def reuse_traced(traced: dict, key, fresh):
    """The model to train for ``fresh``: ``fresh`` itself the first time ``key`` is seen (it
    is kept in ``traced`` under ``key``), and after that the kept model of that ``key``,
    restarted from ``fresh``'s initial state by :func:`restart_from` (its traced train and
    predict steps are kept; ``fresh`` can be thrown away).

    Args:
        traced: a dictionary the caller keeps, one compiled model per key.
        key: anything hashable that names the architecture, e.g. ``("LSTM", 32, 10)`` or
            ``tuple(sorted(options.items()))``.
        fresh: a newly built and compiled Keras model of that architecture.

    Returns:
        The compiled model to train: training it equals training ``fresh``.

    Raises:
        ValueError: as :func:`restart_from`, when ``fresh`` has another architecture or
            optimizer than the model kept under ``key``.
    """
    if key in traced:
        restart_from(traced[key], fresh)
        return traced[key]
    traced[key] = fresh
    return fresh
