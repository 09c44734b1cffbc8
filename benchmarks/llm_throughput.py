"""Generation throughput of the default LLM: batched vs one row at a time, at the threads given (benchmark, not a test).

Short prompts (one history, no demonstration, ~250 tokens) and a fixed number of sampled tokens per row
(end of turn ignored). With 64 new tokens the prompt (prefill) dominates and batching buys little there; more new tokens
weigh the decoding loop, where batching helps most.

    python benchmarks/llm_throughput.py --batch-sizes 1 8 64 --new-tokens 256 --out results/llm_throughput_256.json
    python benchmarks/llm_throughput.py --threads 1 --dtype bfloat16 --batch-sizes 1 64 --new-tokens 256 --out /tmp/tp.json
"""
import argparse, json, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--dataset', default='ml-100k')
    p.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 8, 32])
    p.add_argument('--new-tokens', type=int, default=64)
    p.add_argument('--dtype', default='float32', choices=['float32', 'bfloat16'], help='weights dtype')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides, all cores)')
    p.add_argument('--out', default=str(ROOT/'results'/'llm_throughput.json'))
    a = p.parse_args(argv)
    command = 'python benchmarks/llm_throughput.py ' + ' '.join(sys.argv[1:] if argv is None else argv)
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    from scoter_nb.data import load_dataset
    from scoter_nb.llm import TransformersLLM, build_prompt, measure_throughput
    from scoter_nb.train import save_result
    t0 = time.time()
    data = load_dataset(a.dataset)
    llm = TransformersLLM(dtype=getattr(torch, a.dtype))
    prompts = [build_prompt(data, data.train_seq(u), example_user=None, prefill=False) for u in range(max(a.batch_sizes))]
    res = measure_throughput(llm, prompts, batch_sizes=tuple(a.batch_sizes), new_tokens=a.new_tokens)
    base = res[0]['tokens_per_s']
    for r in res: r['speedup_vs_first'] = round(r['tokens_per_s'] / base, 2)
    print(json.dumps(res, indent=1))
    save_result(a.out, dict(throughput=res), command, time.time() - t0, model=llm.name, dataset=a.dataset, dtype=a.dtype)


if __name__ == '__main__':
    main()
