"""Driver run *inside the RecBole venv* (see benchmarks/recbole_env.sh) by benchmarks/recbole_sasrec.py.

Usage (normally only called by recbole_sasrec.py, with cwd = a scratch folder, because RecBole writes
log/ and saved/ into the working directory):

    .venv-recbole/bin/python benchmarks/_recbole_driver.py SPEC.json

SPEC.json holds: {"config_dict": {...RecBole overrides...}, "model": "SASRec", "dataset": NAME,
"sequences": PATH to our sequences.txt (for the split check), "result": PATH to write, "threads": int|null}.

It runs the same steps as recbole.quick_start.run_recbole (Config -> init_seed -> create_dataset ->
data_preparation -> init_seed -> model -> Trainer.fit -> Trainer.evaluate), minus the FLOPs profiling pass,
with a Trainer subclass that times every training epoch and validation pass and records each epoch's
validation metrics. Nothing else about RecBole's training or evaluation is changed.
"""
import json
import os
import sys
import time

# torch >= 2.6 defaults torch.load(weights_only=True); RecBole 1.2.1 pickles its config into the checkpoint
# and fails to reload its best model without this.
os.environ.setdefault("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")

T_PROCESS = time.perf_counter()

spec_path = sys.argv[1]
# RecBole's Config parses sys.argv ("--key=value" becomes a config entry): hide ours from it.
sys.argv = [sys.argv[0]]

with open(spec_path) as f:
    SPEC = json.load(f)

import numpy as np  # noqa: E402
import torch  # noqa: E402

if SPEC.get("threads"):
    torch.set_num_threads(int(SPEC["threads"]))

import recbole  # noqa: E402
from logging import getLogger  # noqa: E402
from recbole.config import Config  # noqa: E402
from recbole.data import create_dataset, data_preparation  # noqa: E402
from recbole.trainer import Trainer  # noqa: E402
from recbole.utils import get_model, init_logger, init_seed  # noqa: E402

T_IMPORTED = time.perf_counter()


class TimedTrainer(Trainer):
    """RecBole's Trainer, unchanged, plus wall-clock bookkeeping per epoch."""

    def __init__(self, config, model):
        super().__init__(config, model)
        self.epoch_log = []
        self._cur = None
        self.fit_start = None

    def _train_epoch(self, train_data, epoch_idx, loss_func=None, show_progress=False):
        if self.fit_start is None:
            self.fit_start = time.perf_counter()
        t0 = time.perf_counter()
        loss = super()._train_epoch(train_data, epoch_idx, loss_func=loss_func, show_progress=show_progress)
        t1 = time.perf_counter()
        self._cur = {
            "epoch": epoch_idx + 1,
            "train_loss": float(sum(loss) if isinstance(loss, tuple) else loss),
            "train_s": t1 - t0,
            "_t_start": t0,
        }
        return loss

    def _valid_epoch(self, valid_data, show_progress=False):
        t0 = time.perf_counter()
        score, result = super()._valid_epoch(valid_data, show_progress=show_progress)
        t1 = time.perf_counter()
        self._cur["valid_s"] = t1 - t0
        self._cur["valid"] = {k: float(v) for k, v in result.items()}
        self._cur["valid_score"] = float(score)
        return score, result

    def epoch_done(self, epoch_idx, valid_score):
        """callback_fn of Trainer.fit: runs after validation and the best-checkpoint save."""
        now = time.perf_counter()
        cur = self._cur
        t_start = cur.pop("_t_start")
        cur["epoch_wall_s"] = now - t_start  # train + valid + checkpoint save
        cur["cumulative_s"] = now - self.fit_start  # from the start of the first training epoch
        cur["cumulative_incl_setup_s"] = now - T_PROCESS  # from driver start: imports, data loading too
        self.epoch_log.append(cur)
        self._cur = None
        getLogger().info(
            "[timing] epoch %d train %.2fs valid %.2fs cumulative %.2fs valid ndcg@10 %.4f",
            cur["epoch"], cur["train_s"], cur["valid_s"], cur["cumulative_s"], cur["valid"].get("ndcg@10", float("nan")),
        )


def read_sequences(path):
    seqs = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                seqs[parts[0]] = parts[1:]
    return seqs


def check_split(dataset, train_ds, valid_ds, test_ds, seqs, max_len):
    """Assert that RecBole's LS valid_and_test split is exactly our leave-one-out split, for every user.

    valid: target seq[-2], history seq[:-2][-max_len:]; test: target seq[-1], history seq[:-1][-max_len:];
    train: the targets seq[1:-2] (RecBole's prefix augmentation), i.e. len(seq)-3 samples per user.
    """
    uid_f, iid_f = dataset.uid_field, dataset.iid_field
    list_f, len_f = iid_f + dataset.config["LIST_SUFFIX"], dataset.config["ITEM_LIST_LENGTH_FIELD"]
    uid_tok = np.asarray(dataset.field2id_token[uid_f])
    iid_tok = np.asarray(dataset.field2id_token[iid_f])
    out = {"users_ours": len(seqs), "users_recbole": int(dataset.user_num) - 1,
           "items_recbole": int(dataset.item_num) - 1}
    assert out["users_recbole"] == len(seqs), out

    for name, ds, cut in (("valid", valid_ds, 2), ("test", test_ds, 1)):
        feat = ds.inter_feat
        users = uid_tok[feat[uid_f].numpy()]
        targets = iid_tok[feat[iid_f].numpy()]
        hist = feat[list_f].numpy()
        lens = feat[len_f].numpy()
        assert len(users) == len(seqs) == len(set(users.tolist())), (name, len(users), len(seqs))
        for u, t, h, n in zip(users, targets, hist, lens):
            s = seqs[u]
            assert t == s[-cut], (name, u, t, s[-cut])
            want = s[:-cut][-max_len:]
            got = iid_tok[h[:n]].tolist()
            assert got == want, (name, u, got, want)
        out[f"{name}_samples"] = int(len(users))
    feat = train_ds.inter_feat
    users = uid_tok[feat[uid_f].numpy()]
    ts = feat[dataset.time_field].numpy()
    n_expected = sum(len(s) - 3 for s in seqs.values())
    assert len(users) == n_expected, (len(users), n_expected)
    lengths = np.array([len(seqs[u]) for u in users])
    # timestamp == position index in our sequence; training targets are positions 1 .. len-3
    assert np.all(ts >= 1) and np.all(ts <= lengths - 3), "train targets leak validation/test positions"
    out["train_samples"] = int(len(users))
    out["checked"] = "all users: valid=(seq[:-2][-L:] -> seq[-2]), test=(seq[:-1][-L:] -> seq[-1]), train targets seq[1:-2]"
    return out


def main():
    config = Config(model=SPEC["model"], dataset=SPEC["dataset"], config_dict=SPEC["config_dict"])
    init_seed(config["seed"], config["reproducibility"])
    init_logger(config)
    logger = getLogger()
    logger.info(config)

    t0 = time.perf_counter()
    dataset = create_dataset(config)
    logger.info(dataset)
    train_data, valid_data, test_data = data_preparation(config, dataset)
    t_data = time.perf_counter() - t0

    split = None
    if SPEC.get("sequences"):
        t_c = time.perf_counter()
        split = check_split(dataset, train_data._dataset, valid_data._dataset, test_data._dataset,
                            read_sequences(SPEC["sequences"]), config["MAX_ITEM_LIST_LENGTH"])
        split["check_s"] = time.perf_counter() - t_c
        logger.info("split check passed: %s", split)

    t0 = time.perf_counter()
    init_seed(config["seed"] + config["local_rank"], config["reproducibility"])
    model = get_model(config["model"])(config, train_data._dataset).to(config["device"])
    logger.info(model)
    # Importing recbole.model.sequential_recommender (done by get_model) runs sine.py's module-level
    # torch.autograd.set_detect_anomaly(True), i.e. every RecBole 1.2.1 sequential run trains with autograd
    # anomaly detection on (a debugging mode, ~1.6x slower per batch on CPU here). The benchmark turns it off
    # unless SPEC["anomaly_detection"] asks for RecBole's stock behaviour.
    anomaly_stock = torch.is_anomaly_enabled()
    torch.autograd.set_detect_anomaly(bool(SPEC.get("anomaly_detection", False)))
    logger.info("autograd anomaly detection: stock=%s, used=%s", anomaly_stock, torch.is_anomaly_enabled())
    trainer = TimedTrainer(config, model)
    t_model = time.perf_counter() - t0

    t_fit0 = time.perf_counter()
    best_valid_score, best_valid_result = trainer.fit(
        train_data, valid_data, saved=True, show_progress=config["show_progress"], callback_fn=trainer.epoch_done
    )
    t_fit = time.perf_counter() - t_fit0

    t0 = time.perf_counter()
    test_last = trainer.evaluate(test_data, load_best_model=False, show_progress=False)
    t_test_last = time.perf_counter() - t0
    t0 = time.perf_counter()
    test_best = trainer.evaluate(test_data, load_best_model=True, show_progress=False)
    t_test_best = time.perf_counter() - t0
    logger.info("test (best-valid checkpoint): %s", test_best)

    best_epoch = max(trainer.epoch_log, key=lambda e: e["valid_score"])["epoch"] if trainer.epoch_log else None
    keep = (int, float, str, bool, type(None), list, dict)
    cfg = {}
    for k, v in config.final_config_dict.items():
        if isinstance(v, keep):
            try:
                json.dumps(v)
                cfg[k] = v
            except TypeError:
                cfg[k] = str(v)
        else:
            cfg[k] = str(v)

    result = {
        "curve": trainer.epoch_log,
        "best_valid_score": float(best_valid_score),
        "best_valid_epoch": best_epoch,
        "best_valid_result": {k: float(v) for k, v in (best_valid_result or {}).items()},
        "test_best_valid_checkpoint": {k: float(v) for k, v in test_best.items()},
        "test_last_epoch": {k: float(v) for k, v in test_last.items()},
        "timing_s": {
            "imports": T_IMPORTED - T_PROCESS,
            "dataset_and_dataloaders": t_data,
            "model_and_trainer_init": t_model,
            "fit_total": t_fit,
            "test_eval_last": t_test_last,
            "test_eval_best_incl_reload": t_test_best,
            "driver_total": time.perf_counter() - T_PROCESS,
        },
        "split_check": split,
        "recbole_config": cfg,
        "dataset_stats": {
            "users": int(dataset.user_num) - 1,
            "items": int(dataset.item_num) - 1,
            "augmented_samples": int(len(dataset.inter_feat)),
            "train_samples": int(len(train_data._dataset)),
            "valid_samples": int(len(valid_data._dataset)),
            "test_samples": int(len(test_data._dataset)),
            "model_params": int(sum(p.numel() for p in model.parameters())),
        },
        "versions": {
            "recbole": recbole.__version__,
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": sys.version.split()[0],
        },
        "torch_num_threads": torch.get_num_threads(),
        "autograd_anomaly_detection": {"recbole_stock": anomaly_stock, "used": torch.is_anomaly_enabled()},
        "log_file": os.path.abspath(getattr(getLogger().handlers[0], "baseFilename", "")) if getLogger().handlers else None,
        "checkpoint": os.path.abspath(trainer.saved_model_file),
    }
    for h in getLogger().handlers:
        if hasattr(h, "baseFilename"):
            result["log_file"] = os.path.abspath(h.baseFilename)
    with open(SPEC["result"], "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
