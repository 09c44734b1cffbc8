"""Serving SCoTER without an LLM: latency/throughput benchmark and A/B replay (chapter 11), on one data set.

Builds the LLM-free history store if no store is given, trains (or resumes) SASRec and SCoTER-SASRec with the
recommended settings, then writes
- results/<dataset>_online_latency.json: single-request p50/p99 (ms) and batched users/s of backbone alone and
  backbone + fusion, fusion's p50 overhead, H memory, and the student LLM writing K steps per request;
- results/<dataset>_online_ab.json: paired replay of the test split (control = SASRec, treatment = SCoTER),
  relative lift of hit value (hit@10 count) with delta-method and bootstrap CIs, overall and sparse/dense users.

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/online_latency.py --dataset ml-100k
"""
import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='ml-100k')
    p.add_argument('--store', default=None, help='reasoning store folder (default: runs/<dataset>/history_store, built if missing)')
    p.add_argument('--runs', default=None, help='run root for the two models (default: runs/<dataset>/online)')
    p.add_argument('--control-run', default=None, help='use this trained SASRec run folder (with --treatment-run) instead of training a pair')
    p.add_argument('--treatment-run', default=None, help='use this trained SCoTER-SASRec run folder (made with the same store)')
    p.add_argument('--epochs', type=int, default=200, help='epoch cap (early stopping on validation NDCG@10)')
    p.add_argument('--requests', type=int, default=500, help='single requests per model')
    p.add_argument('--llm-requests', type=int, default=3, help='requests for the student-LLM row (0: skip)')
    p.add_argument('--llm-new-tokens', type=int, default=100)
    p.add_argument('--out-dir', default=str(ROOT/'results'))
    a = p.parse_args(argv)
    from scoter_nb.train import command_line
    command = command_line('benchmarks/online_latency.py', argv)
    from scoter_nb.data import load_dataset
    from scoter_nb.store import ReasoningStore, build_history_store
    from scoter_nb.online import Recommender, train_control_and_treatment, latency_benchmark, ab_replay, VALUE_METRIC
    from scoter_nb.train import save_result
    t0 = time.time()
    data = load_dataset(a.dataset)
    store_dir = Path(a.store) if a.store else ROOT/'runs'/a.dataset/'history_store'
    man = store_dir/'manifest.json'
    if not a.store and not (man.exists() and json.loads(man.read_text()).get('complete')):
        from scoter_nb.embed import TextEmbedder
        build_history_store(data, store_dir, TextEmbedder())  # resumes a partly written store
    store = ReasoningStore(store_dir, data)
    if (a.control_run is None) != (a.treatment_run is None): raise SystemExit('give both --control-run and --treatment-run, or neither')
    if a.control_run:
        sasrec_dir, scoter_dir = Path(a.control_run), Path(a.treatment_run)
        for d in (sasrec_dir, scoter_dir):
            if not (d/'best.pt').exists(): raise SystemExit(f'{d/"best.pt"} missing: train that run first')
    else:
        runs = Path(a.runs) if a.runs else ROOT/'runs'/a.dataset/'online'
        sasrec_dir, scoter_dir = train_control_and_treatment(data, store, runs, epochs=a.epochs)
    backbone, scoter = Recommender.from_run(sasrec_dir, data), Recommender.from_run(scoter_dir, data, store=store)
    t1 = time.time()
    bench = latency_benchmark(backbone, scoter, requests=a.requests, llm_requests=a.llm_requests, llm_new_tokens=a.llm_new_tokens)
    print(bench)
    out = Path(a.out_dir)
    store_info = dict(folder=str(store_dir), model=store.manifest.get('model'), config_hash=store.manifest.get('config_hash'))
    save_result(out/f'{a.dataset}_online_latency.json', bench, command, time.time() - t0, dataset=a.dataset,
                benchmark_seconds=round(time.time() - t1, 1), store=store_info, runs=dict(control=str(sasrec_dir), treatment=str(scoter_dir)))
    t2 = time.time()
    ab = ab_replay(backbone, scoter, split='test')
    print(VALUE_METRIC); print(ab.round(4).to_string())
    save_result(out/f'{a.dataset}_online_ab.json', dict(segments=ab.to_dict(orient='records')), command, time.time() - t0,
                dataset=a.dataset, split='test', value_metric=VALUE_METRIC, replay_seconds=round(time.time() - t2, 1),
                control='SASRec', treatment='SCoTER-SASRec', store=store_info,
                runs=dict(control=str(sasrec_dir), treatment=str(scoter_dir)))


if __name__ == '__main__':
    main()
