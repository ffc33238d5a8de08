#!/usr/bin/env python3
"""Builds a large `perf script` file from the samples of a recorded one, for the trace-engine bench.

The samples of the recording are repeated, in order, by 4 threads at 200 Hz each, with new,
increasing timestamps and 25 % idle samples (swapper in cpuidle_enter_state), until the file
reaches the size asked for. With --diverse, 30 % of the frames of each written sample get a random
suffix, which makes most stacks distinct (profiling.md section 6.1's "diverse" file).

    generate-perf.py RECORDING.perf[.gz] OUT.perf --mb 100 [--diverse] [--seed 1]
"""
import argparse
import gzip
import random


def samples(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        block = []
        for line in f:
            if line.startswith("#"):
                continue
            if line.strip() == "":
                if block:
                    yield block
                    block = []
                continue
            block.append(line.rstrip("\n"))
        if block:
            yield block


IDLE = [
    "\tffffffff821f9a1e pv_native_safe_halt+0xe ([kernel.kallsyms])",
    "\tffffffff821f9d4c default_idle+0x9 ([kernel.kallsyms])",
    "\tffffffff8114ba2e cpuidle_enter_state+0x8e ([kernel.kallsyms])",
    "\tffffffff8114c1f9 do_idle+0x1f9 ([kernel.kallsyms])",
    "\tffffffff8114c44d cpu_startup_entry+0x1d ([kernel.kallsyms])",
    "\tffffffff810b7a2a start_secondary+0x11a ([kernel.kallsyms])",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("out")
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--diverse", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    recorded = list(samples(args.recording))
    frames_of = [b[1:] for b in recorded]
    limit = int(args.mb * 1024 * 1024)
    written = 0
    n = 0
    t = 1000.000000
    tids = [4101, 4102, 4103, 4104]
    with open(args.out, "w", encoding="utf-8") as out:
        while written < limit:
            cpu = n % 2
            if rng.random() < 0.25:
                lines = ["swapper     0 [%03d] %.6f:    5000000 cpu-clock: " % (cpu, t)] + IDLE
            else:
                tid = tids[n % 4]
                frames = frames_of[n % len(frames_of)]
                if args.diverse:
                    frames = [f if rng.random() >= 0.3 else add_suffix(f, rng) for f in frames]
                lines = ["java %5d/%d [%03d] %.6f:    5000000 cpu-clock: " % (4100, tid, cpu, t)] + frames
            text = "\n".join(lines) + "\n\n"
            out.write(text)
            written += len(text)
            n += 1
            t += 0.00125  # 4 threads at 200 Hz
    print("%s: %d samples, %.1f MB, %.1f s" % (args.out, n, written / 1048576, n * 0.00125))


def add_suffix(frame, rng):
    """Appends a random token to the symbol, before its +0x offset or its (dso)."""
    cut = frame.rfind(" (")
    if cut < 0:
        return frame
    head, dso = frame[:cut], frame[cut:]
    plus = head.rfind("+0x")
    token = "_v%d" % rng.randrange(100000)
    if plus > 0:
        return head[:plus] + token + head[plus:] + dso
    return head + token + dso


if __name__ == "__main__":
    main()
