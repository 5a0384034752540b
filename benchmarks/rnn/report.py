#!/usr/bin/env python3
"""Summarises benchmarks/rnn/run.sh's JSON lines: per rep and as medians, ours vs PyTorch."""
import json
import statistics
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
torch = {r["rep"]: r for r in rows if r.get("tool") == "pytorch"}
ours_full = {r["rep"]: r for r in rows if r.get("tool") == "embeddings" and r["run"] == "full"}
ours_mb = {r["rep"]: r for r in rows if r.get("tool") == "embeddings" and r["run"] == "minibatch"}
reps = sorted(set(torch) & set(ours_full) & set(ours_mb))
print("| rep | full batch: torch epoch s (median of 20) | ours | ratio | torch loss ep. 20 / after | ours loss ep. 20 / after | "
      "mini-batch sequences | torch epoch s | ours | ratio | torch mean loss | ours mean loss |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
ratios_full, ratios_mb = [], []
for rep in reps:
    t, f, m = torch[rep], ours_full[rep], ours_mb[rep]
    tf, tm = t["full_batch"], t["minibatch"]
    rf = f["median_epoch_s"] / tf["median_epoch_s"]
    rm = m["epoch_s"][0] / tm["epoch_s"]
    ratios_full.append(rf)
    ratios_mb.append(rm)
    print(f"| {rep} | {tf['median_epoch_s']:.2f} | {f['median_epoch_s']:.2f} | {rf:.3f} | "
          f"{tf['losses_before_step'][-1]:.4f} / {tf['loss_after_last_step']:.4f} | {f['losses'][-1]:.4f} / {f['loss_after_last_step']:.4f} | "
          f"{tm['sequences']:,} | {tm['epoch_s']:.1f} | {m['epoch_s'][0]:.1f} | {rm:.3f} | {tm['mean_train_loss']:.4f} | {m['losses'][0]:.4f} |")
if reps:
    print(f"\nmedian ratio (ours / torch): full batch {statistics.median(ratios_full):.3f}, mini-batch {statistics.median(ratios_mb):.3f}"
          f" over {len(reps)} rep(s)")
