"""Train notebook 11's character LSTM on pytest's source once, and write its weights.

Usage: python tools/train_code_model.py [--out helpers/models/python_code_lstm.npz]
       [--units 256 --max-epochs 21 --minutes M --seed 0]

The corpus and its split are notebook 11's (``helpers.source_code``: pytest 9.2.0's
``_pytest`` package, one file in 8 validating). The model is ``build_model`` with
``--units`` units, trained on shuffled windows of 100 characters, 64 per batch, with Adam;
after each pass over the training windows the validation loss is measured, the learning
rate drops to a third when it stops improving (``ReduceLROnPlateau``), and training stops
when it has not improved for two passes, after ``--max-epochs`` passes, or once a pass ends
past ``--minutes`` (``EarlyStopping``, keeping the best weights). The file is written with
``helpers.language_model.save_npz`` (the command and the best validation loss inside) and
its sha256 printed: the notebook checks it.

The model is compiled as ``python -m helpers.charlm`` compiles it
(:func:`helpers.language_model.training_model`), but trained with its own loop of callbacks,
not the command's: the committed file was made with a learning rate that drops on a plateau
and with early stopping on the validation loss, and the command's clock
(:class:`helpers.charlm.clock.TrainingClock`) sets the rate before every step from a cosine
schedule, which would override the plateau drops; a clock-trained model would be another
file, and notebook 11's stored outputs would all move.

The committed model was trained with ``--max-epochs 40 --minutes 25`` on a 2-core CPU: the
time limit ended it after 21 passes (25 minutes, best validation loss 1.118 nats/char), so
the defaults are now 21 passes and no time limit. The seed fixes the initial weights and the
order of the windows; TensorFlow's oneDNN is off, as in the notebooks. Whether another
machine reproduces the file bit for bit is not tested (multi-threaded float32 round-off may
differ); the notebook checks the committed file's hash, not a re-trained one.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

REPO = Path(__file__).resolve().parents[1]
TIMESTEPS, BATCH_SIZE = 100, 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "helpers/models/python_code_lstm.npz"))
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--max-epochs", type=int, default=21)
    parser.add_argument("--minutes", type=float, default=float("inf"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import keras
    import numpy as np

    from helpers.charlm import CharLMConfig
    from helpers.data import CharVocab
    from helpers.language_model import save_npz, training_model, windows_dataset
    from helpers.source_code import CORPUS, VALIDATE_EVERY, package_sources, split_files

    files = package_sources(**CORPUS)
    train_files, val_files = split_files(files, VALIDATE_EVERY)
    vocab = CharVocab("".join(files.values()))
    train_ids = vocab.encode("".join(train_files[k] for k in sorted(train_files)))
    val_ids = vocab.encode("".join(val_files[k] for k in sorted(val_files)))
    print(f"{len(train_files)} training files ({len(train_ids):,} chars), {len(val_files)} "
          f"validation files ({len(val_ids):,} chars), {len(vocab)} characters")

    keras.utils.set_random_seed(args.seed)
    # the command's compile (Adam, cross-entropy from logits) on notebook 11's model: Keras's
    # own LSTM and TimeDistributed logits (fused=False), no dropout
    model = training_model(len(vocab), CharLMConfig(
        units=args.units, layers=1, embedding_dim=64, timesteps=TIMESTEPS, dropout=0.0,
        fused=False, lr=args.lr))
    train_ds = windows_dataset(train_ids, TIMESTEPS, BATCH_SIZE, shuffle=True, seed=args.seed)
    val_ds = windows_dataset(val_ids, TIMESTEPS, BATCH_SIZE, shuffle=False,
                             drop_remainder=False)
    started = time.perf_counter()

    def out_of_time(epoch, logs):
        minutes = (time.perf_counter() - started) / 60
        print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}, val_loss {logs['val_loss']:.4f} "
              f"nats/char, {minutes:.1f} min", flush=True)
        if minutes > args.minutes:
            model.stop_training = True

    history = model.fit(train_ds, validation_data=val_ds, epochs=args.max_epochs, verbose=0,
                        shuffle=False,   # the dataset shuffles its windows itself
                        callbacks=[keras.callbacks.ReduceLROnPlateau(factor=1 / 3, patience=1),
                                   keras.callbacks.EarlyStopping(patience=2,
                                                                 restore_best_weights=True),
                                   keras.callbacks.LambdaCallback(on_epoch_end=out_of_time)])
    val_loss = float(np.min(history.history["val_loss"]))
    command = (f"python tools/train_code_model.py --units {args.units} --lr {args.lr} "
               f"--max-epochs {args.max_epochs} --minutes {args.minutes} --seed {args.seed}")
    sha256 = save_npz(model, vocab.chars, args.out, val_loss=val_loss, seed=args.seed,
                      epochs=len(history.history["val_loss"]), command=command,
                      corpus=f"{CORPUS['distribution']}=={CORPUS['version']} "
                             f"{CORPUS['package']}/, one file in {VALIDATE_EVERY} validating")
    print(f"best validation loss {val_loss:.4f} nats/char; wrote {args.out}\nsha256 {sha256}")


if __name__ == "__main__":
    main()
