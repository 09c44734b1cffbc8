#!/usr/bin/env python3
"""RecBole 1.2.1 SASRec reference run for the speed benchmark (the RecBole half).

Trains RecBole's SASRec on one of our data sets with RecBole's own pipeline and records, after every epoch,
the training wall time, the cumulative wall time and the validation metrics, then the test metrics. The
result is the reference curve the package's SASRec is timed against ("time to reach RecBole's epoch-N
validation NDCG@10").

    python benchmarks/recbole_sasrec.py --dataset beauty --epochs 5 --data-root ../shared/data
    python benchmarks/recbole_sasrec.py --dataset ml-100k --epochs 1     # dev run on RecBole's bundled ml-100k

Only the standard library is needed here; RecBole runs in its own venv (default <repo>/.venv-recbole, created
by benchmarks/recbole_env.sh on first use) through benchmarks/_recbole_driver.py, in a scratch working folder
(RecBole writes log/ and saved/ into its cwd). Output: results/<dataset>_recbole_sasrec.json.

Data: our folder format, <data-root>/<dataset>/sequences.txt, one line per user `user_id item item ...`,
chronological; leave-one-out: last item = test, second-last = validation, the rest = train. It is exported to
a RecBole atomic file <work>/data/<dataset>/<dataset>.inter (user_id:token, item_id:token, timestamp:float)
with timestamp = the item's position in the user's sequence, so RecBole's chronological ordering (order TO)
and its leave-one-out split (LS valid_and_test) reproduce our split exactly; the driver asserts this for every
user.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DRIVER = HERE / "_recbole_driver.py"
ENV_SCRIPT = HERE / "recbole_env.sh"
DEFAULT_VENV = ROOT / ".venv-recbole"
RECBOLE_NAME_PREFIX = "scoter-"

# RecBole's defaults for SASRec (recbole/properties/model/SASRec.yaml, overall.yaml, quick_start_config/
# sequential.yaml), written out so the JSON states them; overriding them with the same values changes nothing.
RECBOLE_SASREC_DEFAULTS = {
    "n_layers": 2, "n_heads": 2, "hidden_size": 64, "inner_size": 256,
    "hidden_dropout_prob": 0.5, "attn_dropout_prob": 0.5, "hidden_act": "gelu",
    "layer_norm_eps": 1e-12, "initializer_range": 0.02,
    "learner": "adam", "learning_rate": 0.001, "weight_decay": 0.0,
    "train_batch_size": 2048, "eval_batch_size": 4096, "stopping_step": 10,
    "clip_grad_norm": None, "shuffle": True,
}


def recbole_config(name: str, data_path: Path, epochs: int, seed: int, max_len: int) -> dict:
    """The RecBole overrides for the benchmark (everything else is RecBole's default for SASRec)."""
    return {
        **RECBOLE_SASREC_DEFAULTS,
        "data_path": str(data_path),
        "dataset": name,
        "load_col": {"inter": ["user_id", "item_id", "timestamp"]},
        "USER_ID_FIELD": "user_id", "ITEM_ID_FIELD": "item_id", "TIME_FIELD": "timestamp",
        "user_inter_num_interval": "[0,inf)", "item_inter_num_interval": "[0,inf)",
        "rm_dup_inter": None, "val_interval": None, "normalize_all": False, "normalize_field": None,
        "MAX_ITEM_LIST_LENGTH": max_len,
        "loss_type": "CE",
        "train_neg_sample_args": None,
        "eval_args": {"split": {"LS": "valid_and_test"}, "order": "TO", "mode": "full", "group_by": "user"},
        "metrics": ["Recall", "NDCG"],
        "topk": [5, 10, 20],
        "valid_metric": "NDCG@10",
        "epochs": epochs,
        "eval_step": 1,
        "seed": seed,
        "reproducibility": True,
        "use_gpu": False,
        "gpu_id": "",
        "show_progress": False,
        "worker": 0,
        "checkpoint_dir": "saved",
        "state": "INFO",
    }


# ----------------------------------------------------------------------------------------------- data export
def read_sequences(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append((parts[0], parts[1:]))
    return out


def export_atomic(sequences: Path, work_data: Path, name: str) -> Path:
    """Write <work_data>/<name>/<name>.inter from our sequences.txt; timestamp = position in the sequence."""
    seqs = read_sequences(sequences)
    return write_atomic(seqs, work_data, name)


def write_atomic(seqs: list[tuple[str, list[str]]], work_data: Path, name: str) -> Path:
    short = [u for u, s in seqs if len(s) < 3]
    if short:
        raise ValueError(f"{len(short)} users have < 3 items (leave-one-out needs train/valid/test), e.g. {short[:5]}")
    out_dir = work_data / name
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.inter"
    tmp = path.with_suffix(".inter.tmp")
    with open(tmp, "w") as f:
        f.write("user_id:token\titem_id:token\ttimestamp:float\n")
        for u, s in seqs:
            for pos, item in enumerate(s):
                f.write(f"{u}\t{item}\t{pos}\n")
    os.replace(tmp, path)
    return path


def dev_sequences_from_recbole_example(venv: Path, name: str, out_root: Path) -> Path:
    """Turn a data set RecBole ships (recbole/dataset_example/<name>, e.g. ml-100k) into our sequences.txt."""
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import recbole, os; print(os.path.dirname(recbole.__file__))"],
        check=True, capture_output=True, text=True).stdout.strip()
    inter = Path(site) / "dataset_example" / name / f"{name}.inter"
    rows: dict[str, list[tuple[float, int, str]]] = {}
    with open(inter) as f:
        cols = [c.split(":")[0] for c in f.readline().rstrip("\n").split("\t")]
        iu, ii, it = cols.index("user_id"), cols.index("item_id"), cols.index("timestamp")
        for n, line in enumerate(f):
            p = line.rstrip("\n").split("\t")
            rows.setdefault(p[iu], []).append((float(p[it]), n, p[ii]))
    out = out_root / name / "sequences.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as f:
        for u in sorted(rows, key=int):
            items = [i for _, _, i in sorted(rows[u])]
            if len(items) >= 3:
                f.write(u + " " + " ".join(items) + "\n")
    return out


# ----------------------------------------------------------------------------------------------- metadata
def git_commit() -> str | None:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        return sha + ("-dirty" if dirty.strip() else "")
    except Exception:
        return None


def machine_info() -> dict:
    model = None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {"cpu_model": model, "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version()}
    try:
        info["affinity_cores"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["mem_total_kb"] = int(line.split()[1])
    except OSError:
        pass
    return info


def history_masking_note(venv: Path) -> dict:
    """Read FullSortEvalDataLoader in the venv's RecBole and report whether sequential full-sort masks history."""
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import recbole, os; print(os.path.dirname(recbole.__file__))"],
        check=True, capture_output=True, text=True).stdout.strip()
    src = (Path(site) / "data" / "dataloader" / "general_dataloader.py").read_text()
    seq_branch = src.split("class FullSortEvalDataLoader", 1)[1]
    masks = "return transformed_interaction, None, positive_u, positive_i" not in seq_branch
    return {
        "recbole_sequential_full_sort_masks_history": masks,
        "detail": ("RecBole 1.2.1 FullSortEvalDataLoader.collate_fn, sequential branch, returns "
                   "(interaction, None, positive_u, positive_i): history_index is None, so "
                   "Trainer._full_sort_batch_eval only sets the padding item 0 to -inf and does NOT mask the "
                   "user's history items (history masking exists only for non-sequential models). Each user is "
                   "ranked against all items, history included, and has exactly one positive (the target). "
                   "This matches our evaluator, which does not mask history either.")
        if not masks else "sequential branch changed: inspect recbole/data/dataloader/general_dataloader.py",
    }


def loadavg() -> list[float] | None:
    try:
        return list(os.getloadavg())
    except OSError:
        return None


# ----------------------------------------------------------------------------------------------- run
def ensure_venv(venv: Path) -> None:
    if (venv / "bin" / "python").exists():
        return
    print(f"[recbole] creating venv {venv} via {ENV_SCRIPT}", flush=True)
    subprocess.run(["bash", str(ENV_SCRIPT)], check=True, env={**os.environ, "RECBOLE_VENV": str(venv)})


def resolve_data_root(arg: str | None) -> Path:
    cands = []
    if arg:
        p = Path(arg)
        cands += [p] if p.is_absolute() else [Path.cwd() / p, ROOT / p]
    elif os.environ.get("SCOTER_DATA"):
        cands.append(Path(os.environ["SCOTER_DATA"]))
    else:
        cands.append(ROOT / ".." / "shared" / "data")
    for c in cands:
        if c.is_dir():
            return c.resolve()
    return cands[0]


def run(dataset: str, epochs: int, data_root: Path, venv: Path, work: Path, out_json: Path,
        seed: int = 2020, max_len: int = 50, threads: int | None = None, anomaly_detection: bool = False,
        max_users: int | None = None, argv: list[str] | None = None) -> dict:
    t_start = time.perf_counter()
    load_start = loadavg()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ensure_venv(venv)

    seq_path = data_root / dataset / "sequences.txt"
    if not seq_path.exists() and dataset == "ml-100k":
        seq_path = dev_sequences_from_recbole_example(venv, dataset, work / "dev-data")
    if not seq_path.exists():
        raise FileNotFoundError(seq_path)
    if max_users:  # dev runs: the first max_users users only
        sub = work / "dev-data" / f"{dataset}-first{max_users}" / "sequences.txt"
        sub.parent.mkdir(parents=True, exist_ok=True)
        sub.write_text("".join(u + " " + " ".join(s) + "\n" for u, s in read_sequences(seq_path)[:max_users]))
        seq_path = sub

    work_data = work / "data"
    # RecBole special-cases some data set names (e.g. "ml-100k" always reads its bundled copy, and
    # properties/dataset/<name>.yaml is merged in when it exists), so the export gets a name of its own.
    rb_name = RECBOLE_NAME_PREFIX + dataset + (f"-first{max_users}" if max_users else "")
    inter = export_atomic(seq_path, work_data, rb_name)
    scratch = work / "scratch" / rb_name
    scratch.mkdir(parents=True, exist_ok=True)
    cfg = recbole_config(rb_name, work_data, epochs, seed, max_len)
    driver_out = scratch / "driver_result.json"
    if driver_out.exists():
        driver_out.unlink()
    spec = {"model": "SASRec", "dataset": rb_name, "config_dict": cfg, "sequences": str(seq_path),
            "result": str(driver_out), "threads": threads, "anomaly_detection": anomaly_detection}
    spec_path = scratch / "spec.json"
    spec_path.write_text(json.dumps(spec, indent=2))

    env = {**os.environ, "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD": "1", "PYTHONUNBUFFERED": "1"}
    cmd = [str(venv / "bin" / "python"), str(DRIVER), str(spec_path)]
    print("[recbole] " + " ".join(shlex.quote(c) for c in cmd) + f"   (cwd {scratch})", flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=scratch, env=env, check=True)
    subprocess_wall = time.perf_counter() - t0
    res = json.loads(driver_out.read_text())

    curve = res["curve"]
    target_metric = "ndcg@10"
    target = curve[-1]["valid"][target_metric] if curve else None
    reached = next((e for e in curve if e["valid"][target_metric] >= target), None) if curve else None

    out = {
        "system": "RecBole 1.2.1 SASRec",
        "dataset": dataset,
        "recbole_dataset_name": rb_name,
        "epochs": epochs,
        "started_utc": started,
        "target": {
            "metric": f"valid {target_metric}",
            "definition": f"RecBole's validation {target_metric} after epoch {epochs}; time = cumulative wall time "
                          "(train + validation + best-checkpoint save, from the start of the first training epoch) "
                          "at the end of the first epoch whose validation value reaches it",
            "value": target,
            "reached_at_epoch": reached["epoch"] if reached else None,
            "time_to_target_s": reached["cumulative_s"] if reached else None,
            "time_to_target_incl_setup_s": reached["cumulative_incl_setup_s"] if reached else None,
        },
        "curve": curve,
        "test_best_valid_checkpoint": res["test_best_valid_checkpoint"],
        "test_last_epoch": res["test_last_epoch"],
        "best_valid_epoch": res["best_valid_epoch"],
        "best_valid_result": res["best_valid_result"],
        "timing_s": {**res["timing_s"], "driver_subprocess_wall": subprocess_wall,
                     "script_total": time.perf_counter() - t_start},
        "split_check": res["split_check"],
        "dataset_stats": res["dataset_stats"],
        "config": {
            "benchmark_overrides": cfg,
            "recbole_sasrec_defaults_stated": RECBOLE_SASREC_DEFAULTS,
            "recbole_final_config": res["recbole_config"],
            "notes": {
                **history_masking_note(venv),
                "split": "our leave-one-out, reproduced exactly (asserted per user in the driver): "
                         "timestamp = position index, order TO, split LS valid_and_test",
                "training_samples": "RecBole's sequential data augmentation: one sample per prefix "
                                    "(seq[:i][-MAX_ITEM_LIST_LENGTH:] -> seq[i]) for i = 1 .. len-3; CE loss over "
                                    "all items on the last position's output only",
                "pipeline": "same steps as recbole.quick_start.run_recbole except the FLOPs profiling pass "
                            "(not training); Trainer subclass only adds timing",
                "autograd_anomaly_detection": (
                    "RecBole 1.2.1's recbole/model/sequential_recommender/sine.py calls "
                    "torch.autograd.set_detect_anomaly(True) at import, so stock RecBole trains every sequential "
                    "model with anomaly detection on (~1.6x slower per SASRec batch on this CPU). Used here: "
                    + ("on (stock, --recbole-anomaly-detection)" if anomaly_detection else
                       "off (the faster, stronger baseline); --recbole-anomaly-detection restores stock")),
                "threads": "torch intra-op threads = torch_num_threads (torch default = cores unless --threads)",
                "env": "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 (RecBole reloads its best checkpoint with torch.load)",
            },
        },
        "inter_file": str(inter),
        "sequences_file": str(seq_path),
        "recbole_log": res.get("log_file"),
        "command": " ".join(shlex.quote(a) for a in (argv or sys.argv)),
        "driver_command": " ".join(shlex.quote(c) for c in cmd),
        "git_commit": git_commit(),
        "machine": machine_info(),
        "versions": res["versions"],
        "torch_num_threads": res["torch_num_threads"],
        "autograd_anomaly_detection": res["autograd_anomaly_detection"],
        "max_users": max_users,
        "loadavg_start": load_start,
        "loadavg_end": loadavg(),
        "wall_time_s": time.perf_counter() - t_start,
    }
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(out, indent=2) + "\n")
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="beauty")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--data-root", default=None,
                    help="folder holding <dataset>/sequences.txt (default $SCOTER_DATA or ../shared/data)")
    ap.add_argument("--venv", default=str(DEFAULT_VENV))
    ap.add_argument("--work", default=str(ROOT / "runs" / "recbole"),
                    help="work folder: exported atomic files and RecBole's scratch cwd (log/, saved/)")
    ap.add_argument("--out", default=None, help="result JSON (default results/<dataset>_recbole_sasrec.json)")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--max-len", type=int, default=50)
    ap.add_argument("--threads", type=int, default=None, help="torch.set_num_threads in RecBole (default: torch's)")
    ap.add_argument("--recbole-anomaly-detection", action="store_true",
                    help="keep RecBole 1.2.1's import-time torch.autograd.set_detect_anomaly(True) (stock, slower)")
    ap.add_argument("--max-users", type=int, default=None, help="dev runs: use only the first N users")
    a = ap.parse_args(argv)
    default_name = f"{a.dataset}_recbole_sasrec.json" if not a.max_users else f"dev_{a.dataset}_first{a.max_users}.json"
    out_json = Path(a.out) if a.out else (ROOT / "results" if not a.max_users else Path(a.work)) / default_name
    res = run(a.dataset, a.epochs, resolve_data_root(a.data_root), Path(a.venv).resolve(), Path(a.work).resolve(),
              out_json, seed=a.seed, max_len=a.max_len, threads=a.threads,
              anomaly_detection=a.recbole_anomaly_detection, max_users=a.max_users,
              argv=[sys.argv[0]] + (argv if argv is not None else sys.argv[1:]))
    print(f"\n[recbole] {a.dataset}: epoch  train_s  cumulative_s  valid ndcg@10  recall@10")
    for e in res["curve"]:
        print(f"            {e['epoch']:5d} {e['train_s']:8.1f} {e['cumulative_s']:13.1f} "
              f"{e['valid']['ndcg@10']:14.4f} {e['valid']['recall@10']:10.4f}")
    print(f"[recbole] test (best-valid ckpt): {res['test_best_valid_checkpoint']}")
    print(f"[recbole] target {res['target']['value']} reached at epoch {res['target']['reached_at_epoch']} "
          f"after {res['target']['time_to_target_s']:.1f}s; wrote {out_json}")
    return res


if __name__ == "__main__":
    main()
