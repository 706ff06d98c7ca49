#!/usr/bin/env python3
"""Turns partnerpolicy_bench's JSON output (--benchmark_out) into the Markdown tables of
bench/README.md, each figure next to its target with "met" or "MISSED"."""
import json
import re
import sys


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            sys.exit(f"{b['name']}: {b.get('error_message')}")
        # "decide/credit.use/repeats:5" and "check_process/1000/iterations:3/manual_time" are
        # "decide/credit.use" and "check_process/1000" here.
        name = re.sub(r"/(repeats|iterations):\d+|/manual_time", "", b.get("run_name", b["name"]))
        # Repeated benchmarks report aggregates; take the median. Others report one run.
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        runs[name] = b
    return data["context"], runs


def ms(b):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
    return b["real_time"] * scale


def verdict(ok):
    return "met" if ok else "**MISSED**"


def main():
    context, runs = load(sys.argv[1])
    out = []
    out.append(f"Machine: {context['num_cpus']} CPUs at {context['mhz_per_cpu']} MHz, "
               f"load average {', '.join(f'{x:.2f}' for x in context.get('load_avg', []))}; "
               f"run {context['date']}; build {context.get('library_build_type', '?')} "
               "(Google Benchmark's own build type, not partnerpolicy's: scripts/bench.sh builds "
               "partnerpolicy in Release).")
    out.append("")

    out.append("### 1. One decision in process (state already loaded, 10k users)")
    out.append("")
    out.append("| action | request | median | target < 2 µs |")
    out.append("|---|---|---|---|")
    for name, b in sorted(runs.items()):
        if not name.startswith("decide/"):
            continue
        us = ms(b) * 1e3
        label = b.get("label", "")
        out.append(f"| {name[len('decide/'):]} | `{label}` | {us:.1f} µs | {verdict(us < 2)} |")
    out.append("")

    sizes = sorted({int(m.group(1)) for n in runs for m in [re.match(r"parse_nlohmann/(\d+)$", n)]
                    if m})
    out.append("### 2. `check` of the whole catalog")
    out.append("")
    out.append("| users | file | nlohmann parse | our parse | + schema, integrity | policies "
               "| load + policies | ÷ nlohmann (target ≤ 2) | whole process | peak RSS "
               "| ÷ file (target ≤ 4) | findings |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        nl = runs[f"parse_nlohmann/{n}"]
        parse = ms(runs[f"parse_document/{n}"])
        load_ms = ms(runs[f"load_state/{n}"])
        pol = runs[f"run_policies/{n}"]
        proc = runs[f"check_process/{n}"]
        size = nl["file_bytes"]
        total = load_ms + ms(pol)
        ratio = total / ms(nl)
        rss = proc["peak_rss_bytes"]
        out.append(
            f"| {n:,} | {size / 1e6:.2f} MB | {ms(nl):.1f} ms | {parse:.1f} ms "
            f"| {load_ms - parse:.1f} ms | {ms(pol):.1f} ms | {total:.1f} ms "
            f"| {ratio:.2f} {verdict(ratio <= 2)} | {ms(proc):.1f} ms | {rss / 1e6:.1f} MB "
            f"| {rss / size:.2f} {verdict(rss / size <= 4)} | {int(pol['findings'])} |")
    out.append("")

    if 10000 in sizes and 100000 in sizes:
        out.append("### Growth from 10k to 100k users (target ≤ 12× for every rule)")
        out.append("")
        growth = []
        for name, b in runs.items():
            m = re.match(r"rule/(.+)/100000$", name)
            if m and f"rule/{m.group(1)}/10000" in runs:
                growth.append((ms(b) / ms(runs[f"rule/{m.group(1)}/10000"]), m.group(1),
                               ms(runs[f"rule/{m.group(1)}/10000"]), ms(b)))
        growth.sort(reverse=True)
        out.append("| rule | 10k users | 100k users | growth |")
        out.append("|---|---|---|---|")
        for ratio, rule, small, large in growth:
            out.append(f"| {rule} | {small:.2f} ms | {large:.2f} ms | {ratio:.1f}× {verdict(ratio <= 12)} |")
        whole = ms(runs["run_policies/100000"]) / ms(runs["run_policies/10000"])
        out.append(f"| **all rules** | {ms(runs['run_policies/10000']):.1f} ms "
                   f"| {ms(runs['run_policies/100000']):.1f} ms | {whole:.1f}× {verdict(whole <= 12)} |")
        out.append("")

    one = runs.get("check_directory/jobs:1")
    two = runs.get("check_directory/jobs:2")
    if one and two:
        out.append("### 3. `check -j N` over 2,000 small fixtures (5 users each)")
        out.append("")
        speedup = two["fixtures_per_second"] / one["fixtures_per_second"]
        out.append("| -j | wall | fixtures/s | speed-up (target ≥ 1.8×) |")
        out.append("|---|---|---|---|")
        out.append(f"| 1 | {ms(one) / 1e3:.2f} s | {one['fixtures_per_second']:.0f} | |")
        out.append(f"| 2 | {ms(two) / 1e3:.2f} s | {two['fixtures_per_second']:.0f} "
                   f"| {speedup:.2f}× {verdict(speedup >= 1.8)} |")
        out.append("")

    cold = runs.get("cold_start_can")
    if cold:
        out.append("### 4. Cold start: one `can` on the example fixture, whole process")
        out.append("")
        out.append("| median wall | target < 5 ms |")
        out.append("|---|---|")
        out.append(f"| {ms(cold):.2f} ms | {verdict(ms(cold) < 5)} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
