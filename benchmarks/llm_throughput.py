"""Generation throughput of the default LLM: batched vs one row at a time, at the threads given (benchmark, not a test).

`--prompts short` (default): one history, no demonstration (~320 tokens, 33 of them shared by all rows) -- the
conservative case. `--prompts gvm`: the prompts GVM's Generate stage sends (`GVMConfig` defaults: one-shot
demonstration, 10 history items, 20 recommendations, prefilled answer start); all rows share the demonstration, which
one call computes once for all its batches (use `--rows 8` so that batch 1 runs several rows and reuses it too, as a
real run does). `--prefill-rows 64 8` measures a batch's prompt pass as one forward and in groups of 8 rows.
`--samples 4` is GVM's workload: 4 chains per prompt; a batch of 64 then holds 16 prompts and runs each prompt's own
part once for its 4 chains, while batch 1 samples every chain on its own (its prompt pass included), as one-at-a-time
generation does. A fixed number of sampled tokens per row (end of turn ignored). Each row's own prompt pass costs the same batched or not (it is compute-bound), so the prompt share bounds
the speed-up; more new tokens weigh the decoding loop, where batching helps most.

    python benchmarks/llm_throughput.py --batch-sizes 1 8 64 --new-tokens 256 --out results/llm_throughput_256.json
    python benchmarks/llm_throughput.py --threads 1 --dtype bfloat16 --batch-sizes 1 64 --new-tokens 256 --out /tmp/tp.json
    python benchmarks/llm_throughput.py --prompts gvm --rows 8 --split-tokens 32 --batch-sizes 1 64 --new-tokens 256 --out results/llm_throughput_256_gvmprompts.json
    python benchmarks/llm_throughput.py --threads 1 --prompts gvm --rows 8 --split-tokens 32 --batch-sizes 1 64 --prefill-rows 64 8 --new-tokens 256 --out /tmp/tp.json
    python benchmarks/llm_throughput.py --prompts gvm --samples 4 --rows 8 --split-tokens 32 --batch-sizes 1 64 --new-tokens 256 --out /tmp/tp.json
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
    p.add_argument('--rows', type=int, default=None, help='rows per measurement (default: one batch); e.g. 8 lets batch 1 reuse the shared prefix')
    p.add_argument('--split-tokens', type=int, default=0, help='> 0: also time this many new tokens, to split prompt pass and decoding')
    p.add_argument('--prompts', default='short', choices=['short', 'gvm'], help="'short': no demonstration; 'gvm': GVM's Generate prompts")
    p.add_argument('--samples', type=int, default=1, help="sequences per prompt (GVM's Generate samples 4 chains per user): batched, one prompt pass serves them; batch 1 samples each on its own")
    p.add_argument('--prefill-rows', type=int, nargs='+', default=[8], help="rows per forward of a batch's prompt pass; several values: batch sizes > 1 are measured with each")
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
    if a.prompts == 'gvm':
        from scoter_nb.gvm.generate import GVMConfig
        cfg = GVMConfig()  # as scoter_nb.gvm.generate builds them
        prompts = [build_prompt(data, data.train_seq(u), max_items=cfg.max_items, n_recs=cfg.n_recs, example_user=cfg.example_user)
                   for u in range(max(a.batch_sizes))]
    else: prompts = [build_prompt(data, data.train_seq(u), example_user=None, prefill=False) for u in range(max(a.batch_sizes))]
    from scoter_nb.llm import common_prefix
    tok, texts = llm.tokenizer, [llm.render(q) for q in prompts]
    lens = [len(tok(t, add_special_tokens=False)['input_ids']) for t in texts]
    shared = len(tok(common_prefix(texts), add_special_tokens=False)['input_ids'])
    res = []
    for i, pr in enumerate(a.prefill_rows):  # batch 1 does not depend on it: measured once
        llm.prefill_rows = pr
        bs = tuple(b for b in a.batch_sizes if b > 1 or i == 0)
        res += [r | dict(prefill_rows=pr) for r in measure_throughput(llm, prompts, batch_sizes=bs, new_tokens=a.new_tokens, rows=a.rows, split_tokens=a.split_tokens, samples=a.samples)]
    base = res[0]['tokens_per_s']
    for r in res: r['speedup_vs_first'] = round(r['tokens_per_s'] / base, 2)
    if a.split_tokens:
        for r in res: r['decode_speedup_vs_first'] = round(r['decode_tokens_per_s'] / res[0]['decode_tokens_per_s'], 2)
    print(json.dumps(res, indent=1))
    save_result(a.out, dict(throughput=res), command, time.time() - t0, model=llm.name, dataset=a.dataset, dtype=a.dtype, samples=a.samples,
                prompts=a.prompts, prompt_tokens_median=sorted(lens)[len(lens) // 2], shared_prefix_tokens=shared)
    print(f'prompts: median {sorted(lens)[len(lens) // 2]} tokens, {shared} shared by all rows')


if __name__ == '__main__':
    main()
