"""Full GVM run (Generate → Validate → Mine → template comparison) plus the LLM's (ρ,δ) order-sensitivity test.

Resumable: every generation goes through JSONL caches in the run folder; rerun the same command after a kill.

    OMP_NUM_THREADS=1 python scripts/gvm.py --dataset ml-100k
"""
import argparse, json, sys, time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='ml-100k')
    p.add_argument('--run-dir', default=None, help='default runs/<dataset>/gvm')
    p.add_argument('--n-users', type=int, default=96)
    p.add_argument('--n-chains', type=int, default=4)
    p.add_argument('--n-eval-users', type=int, default=48)
    p.add_argument('--order-users', type=int, default=40, help='users of the order-sensitivity test (taken from the held-out users)')
    p.add_argument('--temperature', type=float, default=0.9)
    p.add_argument('--batch-size', type=int, default=32)
    p.add_argument('--budgets', type=int, nargs=3, default=[32, 96, 200], metavar=('PATH', 'STEPS', 'LIST'))
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--results', default=str(ROOT/'results'))
    p.add_argument('--skip-order', action='store_true')
    p.add_argument('--dtype', default='float32', choices=['float32', 'bfloat16'], help='LLM weights (bf16: ~2x faster decoding on a CPU with avx512_bf16)')
    a = p.parse_args(argv)
    from scoter_nb.train import command_line
    command = command_line('scripts/gvm.py', argv)

    import torch
    from scoter_nb.data import load_dataset
    from scoter_nb.embed import TextEmbedder
    from scoter_nb.llm import TransformersLLM, build_prompt, measure_throughput, MANUAL_TEMPLATES
    from scoter_nb.gvm.generate import GVMConfig
    from scoter_nb.gvm.mine import run_gvm
    from scoter_nb.order import run_order_sensitivity
    from scoter_nb.train import save_result, git_commit

    t0, commit = time.time(), git_commit(ROOT)
    data = load_dataset(a.dataset)
    run = Path(a.run_dir or ROOT/'runs'/a.dataset/'gvm')
    cfg = GVMConfig(n_users=a.n_users, n_chains=a.n_chains, n_eval_users=a.n_eval_users, temperature=a.temperature,
                    batch_size=a.batch_size, budgets=tuple(a.budgets), seed=a.seed)
    llm, emb = TransformersLLM(batch_size=a.batch_size, dtype=getattr(torch, a.dtype)), TextEmbedder()
    print(f'torch threads {torch.get_num_threads()}; run folder {run}', flush=True)
    tp_path = run/'throughput.json'
    if tp_path.exists(): tp = json.loads(tp_path.read_text())
    else:
        prompts = [build_prompt(data, data.train_seq(u)) for u in range(8)]
        tp = measure_throughput(llm, prompts, batch_sizes=(1, a.batch_size), new_tokens=64)
        run.mkdir(parents=True, exist_ok=True); tp_path.write_text(json.dumps(tp, indent=1))
    print('throughput', tp, flush=True)
    res = run_gvm(data, run, cfg, llm, emb)
    g = res['generate']
    metrics = dict(parse_failure_rate=res['validate']['parse_failure_rate'], chain_recall_at_20=res['validate']['chain_recall'],
                   best_of_n_recall_at_20=res['validate']['best_of_n_recall'], baselines=res['validate']['baselines'],
                   n_users=g['n_users'], n_chains=g['n_chains'], n_kept=g['n_kept'], mined_template=res['mine']['template'],
                   k_clusters=res['mine']['k'], generate_seconds=g['seconds_generate_stage'],
                   chains_per_s=round(g['n_chains'] / max(g['seconds_generate_stage'], 1e-9), 4),
                   throughput=tp)
    save_result(Path(a.results)/f'{a.dataset}_gvm.json', metrics, command, time.time() - t0, commit=commit,
                config=asdict(cfg), model=llm.name, dtype=a.dtype, generate=g, validate=res['validate'], mine=res['mine'])
    t = res['templates']
    save_result(Path(a.results)/f'{a.dataset}_templates.json',
                dict(recall_at_20={k: v['recall_at_20'] for k, v in t['templates'].items()}, lifts=t['lifts'], baselines=t['baselines'],
                     parse_failure_rate={k: v['parse_failure_rate'] for k, v in t['templates'].items()}),
                command, t['seconds'], commit=commit, templates={k: v['steps'] for k, v in t['templates'].items()},
                users=t['users'], model=llm.name, config=asdict(cfg))
    print(json.dumps(t['templates'], indent=1, default=str), flush=True)
    if not a.skip_order:
        t1 = time.time()
        tpl = res['mine']['template'] if len(res['mine']['template']) >= 2 else MANUAL_TEMPLATES['manual-5']
        users = t['users'][:a.order_users]
        rep = run_order_sensitivity(data, llm, users, run/'order', template=tpl, seed=a.seed)
        save_result(Path(a.results)/f'{a.dataset}_order_sensitivity.json',
                    dict(rho_at=rep['rho_at'], tv_mean=rep['tv_mean'], tv_median=rep['tv_median'], n_users=rep['n_users_with_2plus_steps']),
                    command, time.time() - t1, commit=commit, model=llm.name, report=rep)
        print({k: v for k, v in rep.items() if k not in ('tv', 'curve', 'users')}, flush=True)
    print(f'done in {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
